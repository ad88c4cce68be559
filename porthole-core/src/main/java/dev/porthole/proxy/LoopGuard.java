package dev.porthole.proxy;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Returns an engine's record of its own upstream sockets, to cut a proxy loop that forms at run
 * time (an upstream host name that comes to resolve to one of our listeners).
 *
 * <p>A connection whose client is one of our own upstream sockets is the next hop of the connection
 * that dialed it: the accepted socket's remote address equals the local address of a socket we
 * dialed. A chain of distinct proxies (A → B, a library proxy in front of another) is legitimate;
 * a loop is a path that reaches a proxy it already passed through, or one longer than {@link
 * #MAX_HOPS}. Accept and dial run on different event loops and either may be seen first, so each
 * side records itself before looking for the other; whichever comes second links the hops.
 */
final class LoopGuard {
  /** Hops after which a path counts as a loop whatever it passed through. */
  static final int MAX_HOPS = 16;

  private final Map<SocketAddress, Connection> dialed = new ConcurrentHashMap<>();
  private final Map<SocketAddress, Connection> accepted = new ConcurrentHashMap<>();

  /** Records an accepted client; returns true if this connection closes a loop. */
  boolean accepted(SocketAddress remote, Connection connection) {
    if (remote == null) {
      return false;
    }
    accepted.put(key(remote), connection);
    Connection from = dialed.get(key(remote));
    return from != null && closesLoop(connection, from);
  }

  /**
   * Records a dialed upstream socket; returns the connection that closes a loop (the one this
   * socket reached, or the dialer itself), or null.
   */
  Connection dialed(SocketAddress local, Connection connection) {
    if (local == null) {
      return null;
    }
    dialed.put(key(local), connection);
    Connection into = accepted.get(key(local));
    if (into != null && closesLoop(into, connection)) {
      return into;
    }
    // Links before this one may have been made since this connection was accepted: look again,
    // so a loop whose first check came too early ends at this hop instead of the next.
    return onLoop(connection, connection.previousHop()) ? connection : null;
  }

  /** Forgets a connection's two sockets once it is closed. */
  void forget(SocketAddress remote, SocketAddress local, Connection connection) {
    if (remote != null) {
      accepted.remove(key(remote), connection);
    }
    if (local != null) {
      dialed.remove(key(local), connection);
    }
  }

  /** Links {@code next} after {@code previous}; true if next's proxy is already on the path. */
  private static boolean closesLoop(Connection next, Connection previous) {
    next.previousHop(previous);
    return onLoop(next, previous);
  }

  /** Returns true if {@code next}'s proxy is on the path that ends at {@code previous}. */
  private static boolean onLoop(Connection next, Connection previous) {
    int hops = 0;
    for (Connection c = previous; c != null; c = c.previousHop()) {
      if (c.sameProxy(next) || ++hops >= MAX_HOPS) {
        return true;
      }
    }
    return false;
  }

  /** Returns the address without a host name, so the two sides compare equal. */
  private static SocketAddress key(SocketAddress a) {
    if (a instanceof InetSocketAddress i && i.getAddress() != null) {
      return new InetSocketAddress(i.getAddress(), i.getPort());
    }
    return a;
  }
}
