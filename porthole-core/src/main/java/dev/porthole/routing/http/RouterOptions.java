package dev.porthole.routing.http;

/**
 * Returns where the router listens.
 *
 * @param host the loopback address to bind; with {@code 127.0.0.1} the same port is also bound on
 *     {@code ::1} when it can be, since clients may resolve {@code *.localhost} to either
 * @param httpPort the HTTP port; 0 picks a free one; -1 turns plain HTTP off
 * @param httpsPort the HTTPS port; 0 picks a free one; -1 turns HTTPS off
 */
public record RouterOptions(String host, int httpPort, int httpsPort) {
  public RouterOptions {
    check("httpPort", httpPort);
    check("httpsPort", httpsPort);
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host: empty");
    }
  }

  private static void check(String name, int port) {
    if (port < -1 || port > 65535) {
      throw new IllegalArgumentException(name + ": " + port + " (expected: -1..65535)");
    }
  }
}
