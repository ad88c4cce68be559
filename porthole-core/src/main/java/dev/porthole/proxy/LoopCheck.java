package dev.porthole.proxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Refuses a proxy whose upstream is its own listen address, or leads back to it through other
 * proxies: each connection would dial itself until the descriptors run out.
 *
 * <p>Addresses are compared as the kernel routes them: {@code 0.0.0.0} (or {@code ::}) listens on
 * every address, so an upstream on any local address and the same port reaches it; {@code
 * localhost} is resolved, only when some proxy listens on the upstream's port. An upstream name
 * that does not resolve now cannot be checked here; the engine's {@link LoopGuard} cuts such a loop
 * at run time.
 */
final class LoopCheck {
  private LoopCheck() {}

  /** Throws a 400 if {@code m}'s upstream leads back to {@code m} through {@code all}. */
  static void check(ManagedProxy m, Collection<ManagedProxy> all) {
    InetSocketAddress self = listenAddress(m);
    if (self == null) {
      return;
    }
    String via = null;
    String upstream = m.upstream;
    Set<ManagedProxy> seen = new HashSet<>();
    Set<Integer> ports = new HashSet<>();
    ports.add(self.getPort());
    for (ManagedProxy p : all) {
      InetSocketAddress a = listenAddress(p);
      if (a != null) {
        ports.add(a.getPort());
      }
    }
    for (int hop = 0; hop <= all.size(); hop++) {
      if (!ports.contains(portOf(upstream))) {
        return; // no proxy listens on that port: no loop, and no name to look up under the lock
      }
      List<InetSocketAddress> targets = resolve(upstream);
      if (targets.stream().anyMatch(t -> reaches(t, self))) {
        throw ProxyException.bad(
            via == null
                ? "upstream " + m.upstream + " is this proxy's own listen address"
                : "upstream " + m.upstream + " leads back to this proxy through proxy " + via);
      }
      ManagedProxy next = next(m, all, targets);
      if (next == null || !seen.add(next)) {
        return;
      }
      via = via == null ? next.name : via + ", " + next.name;
      upstream = next.upstream;
    }
  }

  /** Returns the other proxy of the same protocol that listens where {@code targets} point. */
  private static ManagedProxy next(
      ManagedProxy m, Collection<ManagedProxy> all, List<InetSocketAddress> targets) {
    for (ManagedProxy p : all) {
      if (p == m || p.protocol != m.protocol) {
        continue;
      }
      InetSocketAddress listen = listenAddress(p);
      if (listen != null && targets.stream().anyMatch(t -> reaches(t, listen))) {
        return p;
      }
    }
    return null;
  }

  /** Returns where {@code p} listens, or null when not known (port 0, never bound). */
  private static InetSocketAddress listenAddress(ManagedProxy p) {
    if (p.running != null) {
      return p.running.localAddress();
    }
    try {
      HostPort hp = HostPort.parse("listen", p.listen.isEmpty() ? ":0" : p.listen);
      return hp.port() == 0 ? null : hp.resolve("listen");
    } catch (ProxyException e) {
      return null;
    }
  }

  private static int portOf(String upstream) {
    try {
      return ProxyOptions.upstreamAddress(upstream).getPort();
    } catch (IllegalArgumentException e) {
      return -1;
    }
  }

  private static List<InetSocketAddress> resolve(String upstream) {
    List<InetSocketAddress> out = new ArrayList<>();
    InetSocketAddress a;
    try {
      a = ProxyOptions.upstreamAddress(upstream);
    } catch (IllegalArgumentException e) {
      return out;
    }
    try {
      for (InetAddress ip : InetAddress.getAllByName(a.getHostString())) {
        out.add(new InetSocketAddress(ip, a.getPort()));
      }
    } catch (UnknownHostException e) {
      // Not resolvable now: nothing to compare; the run-time guard remains.
    }
    return out;
  }

  /** Returns true if dialing {@code target} would reach a listener bound to {@code listen}. */
  static boolean reaches(InetSocketAddress target, InetSocketAddress listen) {
    if (target.getPort() != listen.getPort()) {
      return false;
    }
    InetAddress t = target.getAddress();
    InetAddress l = listen.getAddress();
    if (t == null || l == null) {
      return false;
    }
    if (t.equals(l)) {
      return true;
    }
    // A wildcard listener takes every local address; dialing a wildcard reaches the loopback.
    return (l.isAnyLocalAddress() && isLocal(t)) || (t.isAnyLocalAddress() && isLocal(l));
  }

  private static boolean isLocal(InetAddress a) {
    if (a.isLoopbackAddress() || a.isAnyLocalAddress()) {
      return true;
    }
    try {
      return java.net.NetworkInterface.getByInetAddress(a) != null;
    } catch (java.net.SocketException e) {
      return false;
    }
  }
}
