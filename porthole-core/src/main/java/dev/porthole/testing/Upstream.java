package dev.porthole.testing;

import dev.porthole.text.Numbers;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Returns an upstream given as a port, {@code host:port} or a URI, as {@code host:port}. */
final class Upstream {
  private Upstream() {}

  /** Returns {@code 127.0.0.1:port}. */
  static String ofPort(int port) {
    Numbers.port(Integer.toString(port), "upstream port");
    return InetAddress.getLoopbackAddress().getHostAddress() + ":" + port;
  }

  /**
   * Returns {@code text} as {@code host:port}: {@code 5432}, {@code db:5432}, {@code [::1]:5432},
   * {@code http://localhost:8080/health} (80 and 443 when an http(s) URI has no port) or a JDBC URL
   * such as {@code jdbc:postgresql://localhost:5432/app}.
   *
   * @throws IllegalArgumentException naming {@code upstream} when it is none of these
   */
  static String parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("upstream: must not be empty");
    }
    String t = text.strip();
    if (t.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return ofPort(Numbers.port(t, "upstream"));
    }
    if (t.contains("://")) {
      return ofUri(t.regionMatches(true, 0, "jdbc:", 0, 5) ? t.substring(5) : t);
    }
    int colon = t.lastIndexOf(':');
    if (colon <= 0 || colon == t.length() - 1) {
      throw new IllegalArgumentException(
          "upstream: expected a port, host:port or a URI (got " + text + ")");
    }
    Numbers.port(t.substring(colon + 1), "upstream port");
    return t;
  }

  /** Returns the {@code host:port} of {@code uri}. */
  static String ofUri(URI uri) {
    return ofUri(uri.toString());
  }

  private static String ofUri(String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("upstream: not a URI: " + text);
    }
    String host = uri.getHost();
    if (host == null) {
      throw new IllegalArgumentException("upstream: URI " + text + " has no host");
    }
    int port = uri.getPort();
    if (port < 0) {
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      port =
          switch (scheme) {
            case "http", "ws" -> 80;
            case "https", "wss" -> 443;
            default ->
                throw new IllegalArgumentException(
                    "upstream: URI " + text + " has no port (add :PORT)");
          };
    }
    return host + ":" + port; // an IPv6 host keeps its brackets in URI.getHost()
  }
}
