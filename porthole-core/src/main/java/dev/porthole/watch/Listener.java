package dev.porthole.watch;

import dev.porthole.attribution.Origin;
import dev.porthole.sockets.BindScope;
import dev.porthole.sockets.Protocol;

/**
 * Returns one listening socket (TCP LISTEN or unbound-peer UDP) with the process that holds it.
 *
 * @param address the local address as text ({@code 127.0.0.1}, {@code ::}, …)
 * @param owner the holding process, or null when it cannot be read (another user's, not root)
 * @param origin what really owns it (container, VM, tunnel, dev server...), or null
 */
public record Listener(
    Protocol protocol,
    String address,
    int port,
    BindScope scope,
    long inode,
    ProcessDetails owner,
    Origin origin) {

  /** Creates a listener whose origin is not known (or not asked). */
  public Listener(
      Protocol protocol,
      String address,
      int port,
      BindScope scope,
      long inode,
      ProcessDetails owner) {
    this(protocol, address, port, scope, inode, owner, null);
  }

  /** Returns the identity of the listener across snapshots: protocol, address and port. */
  public String key() {
    return protocol.label() + " " + endpoint();
  }

  /** Returns "address:port", with brackets around IPv6 addresses. */
  public String endpoint() {
    return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
  }

  /** Returns the owner's short name, or "?" when unknown. */
  public String ownerName() {
    return owner == null ? "?" : owner.name();
  }

  /**
   * Returns true when other machines can reach it: bound to all interfaces or a non-loopback one.
   */
  public boolean exposed() {
    return scope != BindScope.LOOPBACK;
  }
}
