package dev.porthole.proxy;

import dev.porthole.sockets.Protocol;
import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * Returns the control plane's rules for {@code listen} and {@code upstream}: where to bind, whether
 * an address is allowed, when a change counts as "different" (Toxiproxy's rule), and bind errors in
 * Go's words.
 */
final class ListenRules {
  /** Bind errors the request causes (an address not on this machine, a port below 1024). */
  private static final String[] REQUEST_FAULTS = {
    "cannot assign requested address", "permission denied", "address family not supported"
  };

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
    InetSocketAddress a = parse(protocol, listen.isEmpty() ? ":0" : listen);
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

  /** Returns {@code text} as an address, or throws Go's {@code net.Listen} error for it. */
  private static InetSocketAddress parse(Protocol protocol, String text) {
    String prefix = "listen " + protocol.label() + ": ";
    int colon = text.lastIndexOf(':');
    if (colon < 0 || text.endsWith("]")) {
      throw ProxyException.listen(prefix + "address " + text + ": missing port in address");
    }
    String host = text.substring(0, colon);
    if (!host.startsWith("[") && host.contains(":")) {
      throw ProxyException.listen(prefix + "address " + text + ": too many colons in address");
    }
    String port = text.substring(colon + 1);
    if (!port.matches("-?[0-9]+")) {
      throw ProxyException.listen(
          prefix + "lookup " + protocol.label() + "/" + port + ": unknown port");
    }
    if (port.length() > 5 || Integer.parseInt(port) < 0 || Integer.parseInt(port) > 65535) {
      throw ProxyException.listen(prefix + "address " + port + ": invalid port");
    }
    HostPort hp = HostPort.parse("listen", text);
    try {
      return hp.resolve("listen");
    } catch (ProxyException e) {
      throw ProxyException.listen(prefix + "lookup " + hp.host() + ": no such host");
    }
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
   * Returns a bind failure as Go prints it ({@code listen tcp ADDR: bind: address already in use})
   * with the kind the API answers: taken (409), not this machine's or not allowed (400), else the
   * host's failure (500).
   */
  static ProxyException bindFailure(Protocol protocol, InetSocketAddress a, Exception e) {
    String where = "listen " + protocol.label() + " " + HostPort.format(a) + ": ";
    String text = ErrorText.of(e);
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.contains("already in use")) {
      return new ProxyException(ProxyException.Kind.IN_USE, where + "bind: address already in use");
    }
    for (String reason : REQUEST_FAULTS) {
      if (lower.contains(reason)) {
        return ProxyException.listen(where + "bind: " + reason);
      }
    }
    // The engine's message may already name the address: "listen 127.0.0.1:1: Too many open files".
    String reason = text.replaceFirst("^listen \\S+: ", "");
    return new ProxyException(ProxyException.Kind.FAILED, where + reason);
  }
}
