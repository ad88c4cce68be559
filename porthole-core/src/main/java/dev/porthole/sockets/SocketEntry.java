package dev.porthole.sockets;

import java.net.InetAddress;
import java.util.Objects;

/**
 * Returns one socket as a line of {@code /proc/net/{tcp,tcp6,udp,udp6}} describes it.
 *
 * @param ipv6 true when read from a {@code *6} file; an IPv4-mapped address still comes as an
 *     {@link java.net.Inet4Address}, so this tells a dual-stack socket from a plain IPv4 one
 * @param uid the owning user id as the kernel records it (readable even when the process is not)
 * @param inode the socket inode, which joins the socket to the processes holding it
 */
public record SocketEntry(
    Protocol protocol,
    boolean ipv6,
    InetAddress localAddress,
    int localPort,
    InetAddress remoteAddress,
    int remotePort,
    SocketState state,
    int uid,
    long inode) {

  public SocketEntry {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(localAddress, "localAddress");
    Objects.requireNonNull(remoteAddress, "remoteAddress");
    Objects.requireNonNull(state, "state");
  }

  /** Returns who can reach this socket, judged by its local address. */
  public BindScope scope() {
    return BindScope.of(localAddress);
  }

  /** Returns true for a TCP listener or an unconnected UDP socket. */
  public boolean listening() {
    return state.listening();
  }
}
