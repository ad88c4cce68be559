package dev.porthole.proxy;

import dev.porthole.sockets.Protocol;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * Returns the control plane's rules for {@code listen} and {@code upstream}: where to bind, whether
 * an address is allowed, when a change counts as "different" (Toxiproxy's rule), and bind errors in
 * Go's words.
 */
final class ListenRules {
  private final boolean allowNonLoopback;

  ListenRules(boolean allowNonLoopback) {
    this.allowNonLoopback = allowNonLoopback;
  }

  /** Throws a 400 unless {@code upstream} is {@code host:port} with a port of 1..65535. */
  static void checkUpstream(String upstream) {
    try {
      ProxyOptions.upstreamAddress(upstream);
    } catch (IllegalArgumentException e) {
      throw ProxyException.bad(e.getMessage());
    }
  }

  /** Returns where to bind {@code listen}, refusing addresses beyond loopback unless allowed. */
  InetSocketAddress bindAddress(Protocol protocol, String listen) {
    InetSocketAddress a =
        HostPort.parse("listen", listen.isEmpty() ? ":0" : listen).resolve("listen");
    if (!allowNonLoopback && !a.getAddress().isLoopbackAddress()) {
      throw ProxyException.bad(
          "listen "
              + protocol.label()
              + " "
              + HostPort.format(a)
              + ": not a loopback address (start the daemon with --allow-remote to listen beyond"
              + " loopback)");
    }
    return a;
  }

  /** Returns Toxiproxy's "different": the resolved new listen or the upstream string changed. */
  boolean differs(ManagedProxy m, String listen, String upstream) {
    if (upstream != null && !upstream.equals(m.upstream)) {
      return true;
    }
    if (listen == null) {
      return false;
    }
    return !HostPort.format(bindAddress(m.protocol, listen)).equals(m.listen);
  }

  /**
   * Returns a bind failure as Go prints it: {@code listen tcp ADDR: bind: address already in use}.
   */
  static String bindError(Protocol protocol, InetSocketAddress a, Exception e) {
    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e instanceof BindException || reason.toLowerCase(Locale.ROOT).contains("already in use")) {
      reason = "bind: address already in use";
    }
    return "listen " + protocol.label() + " " + HostPort.format(a) + ": " + reason;
  }
}
