package dev.porthole.routing;

import dev.porthole.text.Numbers;
import java.net.InetSocketAddress;

/**
 * Returns one upstream of a route: where the router sends the request.
 *
 * <p>Written {@code 127.0.0.1:8080}, {@code [::1]:8080}, {@code localhost:5173}, or a bare port
 * ({@code 5173}, meaning {@code 127.0.0.1:5173}). A porthole proxy's listen address works too, so
 * its toxics apply to routed traffic.
 *
 * @param host a host name or IP literal, without brackets
 * @param port 1 to 65535
 */
public record Upstream(String host, int port) {
  public Upstream {
    if (host == null || host.isEmpty()) {
      throw RouteException.bad("upstream: empty host");
    }
    if (port < 1 || port > 65535) {
      throw RouteException.bad("upstream port: " + port + " (expected: 1 to 65535)");
    }
  }

  /** Returns {@code text} as an upstream, or throws the reason in one line. */
  public static Upstream parse(String text) {
    if (text == null || text.isBlank()) {
      throw RouteException.bad("upstream: empty (expected HOST:PORT or PORT, e.g. 127.0.0.1:8080)");
    }
    String t = text.strip();
    if (t.startsWith("http://") || t.startsWith("https://")) {
      throw RouteException.bad(
          "upstream " + t + ": give HOST:PORT without a scheme (the router speaks HTTP to it)");
    }
    int colon = t.lastIndexOf(':');
    String host = "127.0.0.1";
    String port = t;
    if (colon >= 0) {
      host = t.substring(0, colon);
      port = t.substring(colon + 1);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      } else if (host.contains(":")) {
        throw RouteException.bad(
            "upstream " + t + ": write an IPv6 address in brackets, [::1]:8080");
      }
    }
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (RouteName.invisible(c) || c == '/' || c == ' ' || c == '@') {
        throw RouteException.bad("upstream " + Numbers.printable(t) + ": bad host");
      }
    }
    try {
      return new Upstream(host, Numbers.port(port, "upstream " + Numbers.printable(t) + " port"));
    } catch (IllegalArgumentException e) {
      throw RouteException.bad(e.getMessage());
    }
  }

  /** Returns the address to connect to (unresolved: resolved when connecting). */
  public InetSocketAddress address() {
    return InetSocketAddress.createUnresolved(host, port);
  }

  /** Returns {@code host:port}, with brackets around an IPv6 literal. */
  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
