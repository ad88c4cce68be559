package dev.porthole.proxy;

import dev.porthole.sockets.Protocol;
import dev.porthole.text.Numbers;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Returns how to run one proxy.
 *
 * @param name a label for logs and errors
 * @param protocol TCP or UDP
 * @param listen the address to bind; port 0 picks a free port
 * @param upstream {@code host:port} (or {@code [v6]:port}), resolved and dialed per connection
 * @param allowNonLoopback whether {@code listen} may be beyond 127.0.0.0/8 and ::1
 * @param connectTimeout how long to wait for the upstream dial before closing the client
 */
public record ProxyOptions(
    String name,
    Protocol protocol,
    InetSocketAddress listen,
    String upstream,
    boolean allowNonLoopback,
    Duration connectTimeout) {

  /** Returns the connect timeout used when none is given. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  public ProxyOptions {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name: must not be empty");
    }
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(listen, "listen");
    if (listen.isUnresolved()) {
      throw new IllegalArgumentException("listen: cannot resolve " + listen.getHostString());
    }
    if (!allowNonLoopback && !listen.getAddress().isLoopbackAddress()) {
      throw new IllegalArgumentException(
          "listen: "
              + listen.getAddress().getHostAddress()
              + " is not a loopback address (binding beyond 127.0.0.0/8 and ::1 needs"
              + " allowNonLoopback)");
    }
    upstreamAddress(upstream);
    if (connectTimeout == null) {
      connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    }
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException(
          "connectTimeout: must be > 0 (got " + connectTimeout + ")");
    }
  }

  /** Returns TCP options with the default connect timeout and loopback-only listening. */
  public static ProxyOptions tcp(String name, InetSocketAddress listen, String upstream) {
    return new ProxyOptions(name, Protocol.TCP, listen, upstream, false, DEFAULT_CONNECT_TIMEOUT);
  }

  /** Returns the upstream address; a host name stays unresolved, to be resolved per connection. */
  public InetSocketAddress upstreamAddress() {
    return upstreamAddress(upstream);
  }

  /** Returns {@code host:port} parsed, or throws naming the parameter {@code upstream}. */
  static InetSocketAddress upstreamAddress(String upstream) {
    if (upstream == null || upstream.isBlank()) {
      throw new IllegalArgumentException("upstream: must not be empty");
    }
    int colon = upstream.lastIndexOf(':');
    if (colon <= 0 || colon == upstream.length() - 1) {
      throw new IllegalArgumentException(
          "upstream: expected host:port (got " + Numbers.printable(upstream) + ")");
    }
    String host = upstream.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    String portText = upstream.substring(colon + 1);
    if (!portText.equals(portText.strip())) {
      throw new IllegalArgumentException("upstream: bad port in " + Numbers.printable(upstream));
    }
    int port = Numbers.port(portText, "upstream " + Numbers.printable(upstream) + ": port");
    if (host.matches("[0-9.]+") || host.contains(":")) {
      // An IP literal: no lookup, and no resolver on the connection path.
      try {
        return new InetSocketAddress(java.net.InetAddress.getByName(host), port);
      } catch (java.net.UnknownHostException e) {
        throw new IllegalArgumentException("upstream: bad address " + host);
      }
    }
    return InetSocketAddress.createUnresolved(host, port);
  }
}
