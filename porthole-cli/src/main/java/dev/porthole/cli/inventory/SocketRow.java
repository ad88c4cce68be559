package dev.porthole.cli.inventory;

import dev.porthole.attribution.Origin;
import dev.porthole.ports.PortClass;
import dev.porthole.ports.ServiceNames;
import dev.porthole.sockets.IpLiteral;
import dev.porthole.sockets.OwnedSocket;
import dev.porthole.sockets.ProcessInfo;
import dev.porthole.sockets.SocketEntry;
import java.net.Inet4Address;
import java.util.List;

/**
 * Returns one socket as {@code ports}, {@code who} and {@code info} print it, in JSON under these
 * field names (documented in the README; keep them stable).
 *
 * @param ipVersion 4 or 6, by the address shown (IPv4-mapped IPv6 addresses count as 4)
 * @param remoteAddress null for listeners
 * @param pid the first owner's pid; null when unknown (another user's process while not root)
 * @param service null unless asked for (the table is read only then)
 * @param inode the socket's inode; 0 when no process holds it any more (TIME_WAIT)
 * @param origin what really owns a listener (a container, VM, tunnel, dev server...); null when its
 *     process is all there is to say, and for connections
 */
public record SocketRow(
    String proto,
    int ipVersion,
    String localAddress,
    int port,
    String remoteAddress,
    Integer remotePort,
    String state,
    Integer pid,
    String process,
    String commandLine,
    String user,
    int uid,
    String scope,
    String portClass,
    String service,
    long inode,
    List<Owner> owners,
    Origin origin) {

  /** Returns one process that holds the socket. */
  public record Owner(int pid, int ppid, String name, String commandLine, String user, int uid) {
    static Owner of(ProcessInfo p) {
      return new Owner(p.pid(), p.ppid(), p.name(), p.commandLine(), p.user(), p.uid());
    }
  }

  static SocketRow of(
      OwnedSocket owned,
      boolean withService,
      java.util.function.IntFunction<String> userName,
      Origin origin) {
    SocketEntry s = owned.socket();
    ProcessInfo owner = owned.owner();
    boolean listener = s.listening();
    // The name only, compiled in: the tables (descriptions too) would be read from the jar.
    String service = withService ? ServiceNames.usualName(s.localPort(), s.protocol()) : null;
    return new SocketRow(
        s.protocol().label(),
        s.localAddress() instanceof Inet4Address ? 4 : 6,
        IpLiteral.format(s.localAddress()),
        s.localPort(),
        listener ? null : IpLiteral.format(s.remoteAddress()),
        listener ? null : s.remotePort(),
        s.state().name(),
        owner == null ? null : (int) owner.pid(),
        owner == null ? null : owner.name(),
        owner == null ? null : owner.commandLine(),
        owner != null ? owner.user() : s.uid() >= 0 ? userName.apply(s.uid()) : null,
        owner != null ? owner.uid() : s.uid(),
        s.scope().label(),
        PortClass.of(s.localPort()).label(),
        service,
        s.inode(),
        owned.owners().stream().map(Owner::of).toList(),
        origin);
  }

  /** Returns "python3 (PID 4242, user root)", or "an unreadable process" when unknown. */
  String holder() {
    String who =
        pid == null
            ? "an unreadable process (user " + user + ")"
            : process + " (PID " + pid + ", user " + user + ")";
    return origin == null ? who : who + " for " + origin.summary();
  }

  /** Returns "tcp 127.0.0.1 [loopback]" for a listener, "tcp 127.0.0.1:5000->10.0.0.1:443" else. */
  String where() {
    if (remoteAddress == null) {
      return proto + " " + localAddress + " [" + scope + "]";
    }
    return proto
        + " "
        + hostPort(localAddress, port)
        + "->"
        + hostPort(remoteAddress, remotePort)
        + " "
        + state;
  }

  static String hostPort(String address, int port) {
    return address.indexOf(':') >= 0 ? "[" + address + "]:" + port : address + ":" + port;
  }
}
