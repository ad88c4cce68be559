package dev.porthole.checks;

import dev.porthole.text.Numbers;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Returns what {@code porthole check} was asked to reach: a host, a port and how to talk to it.
 *
 * <p>Accepted forms: {@code 62893} (127.0.0.1), {@code 127.0.0.1:62893}, {@code [::1]:62893},
 * {@code localhost:8080}, {@code http://localhost:8080/health}, {@code https://localhost:8443}.
 *
 * @param text the target as the user wrote it
 * @param host a name or an address literal (IPv6 without brackets)
 * @param port the TCP port, 1-65535
 * @param scheme plain TCP, HTTP or HTTPS
 * @param path the request path for HTTP(S), "/" by default; empty for TCP
 */
public record Target(String text, String host, int port, Scheme scheme, String path) {

  /** Returns how a target is spoken to. */
  public enum Scheme {
    TCP,
    HTTP,
    HTTPS;

    public boolean http() {
      return this != TCP;
    }

    public boolean tls() {
      return this == HTTPS;
    }
  }

  public Target {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
    }
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host: empty");
    }
  }

  /** Returns the target parsed from {@code text}; the exception message is one line for users. */
  public static Target parse(String text) {
    String s = text == null ? "" : text.strip();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("target: empty (expected PORT, HOST:PORT or a URL)");
    }
    if (s.contains("://")) {
      return parseUrl(text, s);
    }
    if (s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return new Target(text, "127.0.0.1", port(text, s), Scheme.TCP, "");
    }
    int colon = s.lastIndexOf(':');
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
        throw bad(text, "expected [IPv6]:PORT, e.g. [::1]:8080");
      }
      return new Target(
          text, s.substring(1, close), port(text, s.substring(close + 2)), Scheme.TCP, "");
    }
    if (colon <= 0 || s.indexOf(':') != colon) {
      throw bad(text, "expected PORT, HOST:PORT, [IPv6]:PORT or a URL");
    }
    return new Target(
        text, s.substring(0, colon), port(text, s.substring(colon + 1)), Scheme.TCP, "");
  }

  private static Target parseUrl(String text, String s) {
    URI uri;
    try {
      uri = new URI(s);
    } catch (URISyntaxException e) {
      throw bad(text, "not a URL (" + e.getReason() + ")");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    Scheme kind =
        switch (scheme) {
          case "http" -> Scheme.HTTP;
          case "https" -> Scheme.HTTPS;
          default -> throw bad(text, "scheme '" + scheme + "' (expected: http or https)");
        };
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw bad(text, "no host in the URL");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = uri.getPort() == -1 ? (kind == Scheme.HTTPS ? 443 : 80) : uri.getPort();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null) {
      path += "?" + uri.getRawQuery();
    }
    return new Target(text, host, port(text, Integer.toString(port)), kind, path);
  }

  private static int port(String text, String digits) {
    try {
      return Numbers.port(digits, "port");
    } catch (IllegalArgumentException e) {
      throw bad(text, e.getMessage());
    }
  }

  private static IllegalArgumentException bad(String text, String why) {
    return new IllegalArgumentException("target '" + Numbers.printable(text) + "': " + why);
  }

  /** Returns true when the host is an address literal, so there is nothing to resolve. */
  public boolean literal() {
    return host.contains(":") || host.chars().allMatch(c -> c >= '0' && c <= '9' || c == '.');
  }

  /**
   * Returns the address a {@link #literal} host names, or throws a one-line error: {@code
   * 999.999.999.999} looks like an address and is none, which is the user's mistake (exit 2).
   */
  public InetAddress literalAddress() {
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw bad(text, "not an address");
    }
  }

  /** Returns "host:port", with brackets around an IPv6 literal. */
  public String authority() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
