package dev.porthole.proxy;

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
 * side records itself before looking for the other; whichever comes second links the hops. An
 * accepted connection dials on only after the dials in flight when it came are recorded ({@link
 * InFlightDials}), so a hop is cut before it makes the next one.
 *
 * <p>Each side also records the address at the other end: an upstream socket is the client of one
 * of our listeners only if it was dialed to that listener's address. Matching on the client's port
 * alone cut real clients: a closed upstream socket is forgotten a moment after the kernel frees
 * its port, and a new client given that port looked like our own socket coming back.
 */
final class LoopGuard {
  /** Hops after which a path counts as a loop whatever it passed through. */
  static final int MAX_HOPS = 16;

  /** A socket of a connection, with the address at its other end (dialed) or ours (accepted). */
  private record Hop(Connection connection, SocketAddress far) {}

  private final Map<SocketAddress, Hop> dialed = new ConcurrentHashMap<>();
  private final Map<SocketAddress, Hop> accepted = new ConcurrentHashMap<>();
  private final InFlightDials dials = new InFlightDials();

  /** Returns the dials begun and not yet recorded here, which an accepted connection waits for. */
  InFlightDials dials() {
    return dials;
  }

  /**
   * Records an accepted client ({@code remote}) on our listener's {@code local} address; returns
   * true if this connection closes a loop.
   */
  boolean accepted(SocketAddress remote, SocketAddress local, Connection connection) {
    if (remote == null) {
      return false;
    }
    accepted.put(key(remote), new Hop(connection, key(local)));
    Hop from = dialed.get(key(remote));
    return from != null
        && sameEnd(key(local), from.far())
        && closesLoop(connection, from.connection());
  }

  /**
   * Records an upstream socket dialed from {@code local} to {@code remote}; returns the connection
   * that closes a loop (the one this socket reached, or the dialer itself), or null.
   */
  Connection dialed(SocketAddress local, SocketAddress remote, Connection connection) {
    if (local == null) {
      return null;
    }
    dialed.put(key(local), new Hop(connection, key(remote)));
    Hop into = accepted.get(key(local));
    if (into != null
        && sameEnd(into.far(), key(remote))
        && closesLoop(into.connection(), connection)) {
      return into.connection();
    }
    // Links before this one may have been made since this connection was accepted: look again,
    // so a loop whose first check came too early ends at this hop instead of the next.
    return onLoop(connection, connection.previousHop()) ? connection : null;
  }

  /** Forgets a connection's two sockets once it is closed. */
  void forget(SocketAddress remote, SocketAddress local, Connection connection) {
    if (remote != null) {
      accepted.computeIfPresent(key(remote), (k, h) -> h.connection() == connection ? null : h);
    }
    if (local != null) {
      dialed.computeIfPresent(key(local), (k, h) -> h.connection() == connection ? null : h);
    }
  }

  /**
   * Returns whether two ends of a hop are the same address; an end not known (a socket closed
   * before its address was read, as the sockets of a loop being cut are) matches, as before.
   */
  private static boolean sameEnd(SocketAddress a, SocketAddress b) {
    return a == null || b == null || a.equals(b);
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

  /**
   * Returns the address as the maps' key. InetSocketAddress compares resolved addresses by address
   * and port only (a host name it carries is ignored), so the address itself is the key.
   */
  private static SocketAddress key(SocketAddress a) {
    return a;
  }
}
