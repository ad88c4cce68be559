package dev.porthole.proxy;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Returns an engine's record of its own upstream sockets, to cut a proxy loop that forms at run
 * time (an upstream host name that comes to resolve to one of our listeners).
 *
 * <p>A looped connection is one whose client is one of our own upstream sockets: the accepted
 * socket's remote address equals the local address of a socket we dialed. Accept and dial run on
 * different event loops and either may be seen first, so each side records itself before looking
 * for the other; whichever comes second finds the pair, and the loop ends after one hop.
 */
final class LoopGuard {
  private final Set<SocketAddress> dialed = ConcurrentHashMap.newKeySet();
  private final Map<SocketAddress, Connection> accepted = new ConcurrentHashMap<>();

  /** Records an accepted client; returns true if it is one of our own upstream sockets. */
  boolean accepted(SocketAddress remote, Connection connection) {
    if (remote == null) {
      return false;
    }
    accepted.put(key(remote), connection);
    return dialed.contains(key(remote));
  }

  /** Records a dialed upstream socket; returns the accepted connection it loops into, or null. */
  Connection dialed(SocketAddress local) {
    if (local == null) {
      return null;
    }
    dialed.add(key(local));
    return accepted.get(key(local));
  }

  /** Forgets a connection's two sockets once it is closed. */
  void forget(SocketAddress remote, SocketAddress local, Connection connection) {
    if (remote != null) {
      accepted.remove(key(remote), connection);
    }
    if (local != null) {
      dialed.remove(key(local));
    }
  }

  /** Returns the address without a host name, so the two sides compare equal. */
  private static SocketAddress key(SocketAddress a) {
    if (a instanceof InetSocketAddress i && i.getAddress() != null) {
      return new InetSocketAddress(i.getAddress(), i.getPort());
    }
    return a;
  }
}
