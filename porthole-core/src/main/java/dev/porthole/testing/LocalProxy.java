package dev.porthole.testing;

import dev.porthole.proxy.ProxyException;
import dev.porthole.proxy.ProxyRegistry;
import dev.porthole.proxy.ProxyRegistry.NewProxy;
import dev.porthole.proxy.ProxyRegistry.ProxyUpdate;
import dev.porthole.proxy.ProxyState;
import dev.porthole.proxy.ProxyStats;
import dev.porthole.sockets.Protocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * An in-process TCP proxy for tests, with Toxiproxy's toxics: it listens on a free loopback port
 * (or a given one) and forwards every connection to its upstream. No daemon, no Docker; every proxy
 * of a JVM shares one engine, so the second and later ones start in about a millisecond.
 *
 * <pre>{@code
 * try (LocalProxy db = LocalProxy.to("127.0.0.1:5432")) {
 *   db.toxics().latency(Duration.ofMillis(200));
 *   connect("jdbc:postgresql://" + db.hostPort() + "/app");
 *   assertThat(db.counters().connections()).isPositive();
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class LocalProxy implements AutoCloseable {
  private final ProxyRegistry registry;
  private final String name;
  private final String upstream;
  private final InetSocketAddress address;
  private final Toxics toxics;
  private Toxic[] cut; // the two timeout toxics while cut
  private boolean closed;

  private LocalProxy(ProxyRegistry registry, String name, String upstream, String listen) {
    this.registry = registry;
    this.name = name;
    this.upstream = upstream;
    ProxyState s;
    try {
      s = registry.create(new NewProxy(name, listen, upstream, true, Protocol.TCP));
    } catch (ProxyException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    int colon = s.listen().lastIndexOf(':');
    this.address =
        new InetSocketAddress(
            InetAddress.getLoopbackAddress(), Integer.parseInt(s.listen().substring(colon + 1)));
    this.toxics = new Toxics(registry, name);
  }

  /**
   * Returns a started proxy to {@code upstream}: a port ({@code "5432"}), {@code host:port} or a
   * URI ({@code http://localhost:8080/}, {@code jdbc:postgresql://localhost:5432/app}).
   */
  public static LocalProxy to(String upstream) {
    return builder().upstream(upstream).start();
  }

  /** Returns a started proxy to the host and port of {@code upstream}. */
  public static LocalProxy to(URI upstream) {
    return builder().upstream(upstream).start();
  }

  /** Returns a started proxy to {@code 127.0.0.1:port}. */
  public static LocalProxy to(int port) {
    return builder().upstream(port).start();
  }

  /**
   * Starts building the shared engine in the background, once per JVM, so that the first proxy and
   * its first connection cost less; the JUnit extension calls it when it is loaded. Optional: the
   * first {@link #to} does the same work itself. {@code -Dporthole.warmup=false} turns it off.
   */
  public static void warmUp() {
    SharedEngine.warmUp();
  }

  /** Returns a builder, for a name or a listening port of your choice. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the name of the proxy in logs ({@code label#N}, unique in this JVM). */
  public String name() {
    return name;
  }

  /** Returns the upstream as {@code host:port}. */
  public String upstream() {
    return upstream;
  }

  /** Returns {@code 127.0.0.1}: the proxy listens on IPv4 loopback. */
  public String host() {
    return address.getAddress().getHostAddress();
  }

  /** Returns the port the proxy listens on; clients connect here. */
  public int port() {
    return address.getPort();
  }

  /** Returns {@code 127.0.0.1:<port>}. */
  public String hostPort() {
    return host() + ":" + port();
  }

  /** Returns the listening address. */
  public InetSocketAddress address() {
    return address;
  }

  /** Returns {@code scheme://127.0.0.1:<port>}, e.g. {@code uri("http")}. */
  public URI uri(String scheme) {
    return URI.create(scheme + "://" + hostPort());
  }

  /** Returns the toxics, to add, change and remove them. */
  public Toxics toxics() {
    checkOpen();
    return toxics;
  }

  /**
   * Stops listening and drops every connection: new connections are refused (as Toxiproxy's {@code
   * enabled: false}). The port is bound again by {@link #enable()}.
   */
  public LocalProxy disable() {
    update(false);
    return this;
  }

  /** Listens again on the same port after {@link #disable()}. */
  public LocalProxy enable() {
    update(true);
    return this;
  }

  /** Returns whether the proxy listens. */
  public boolean isEnabled() {
    return state().enabled();
  }

  /**
   * Cuts the connection without closing it: no byte passes either way and nothing is closed, as a
   * pulled cable (Toxiproxy's {@code timeout} 0 on both streams; Testcontainers' {@code
   * setConnectionCut(true)}). New connections are accepted and hang too.
   */
  public synchronized LocalProxy cut() {
    checkOpen();
    if (cut == null) {
      cut =
          new Toxic[] {
            toxics.timeout(Duration.ZERO),
            toxics.add("timeout", Map.of("timeout", 0L), Toxics.Direction.UPSTREAM)
          };
    }
    return this;
  }

  /** Undoes {@link #cut()}: connections cut meanwhile are closed (they lost bytes). */
  public synchronized LocalProxy restore() {
    checkOpen();
    if (cut != null) {
      for (Toxic t : cut) {
        t.remove();
      }
      cut = null;
    }
    return this;
  }

  /** Closes the open connections; the proxy keeps listening. */
  public LocalProxy closeConnections() {
    checkOpen();
    Toxic.call(
        () -> {
          registry.closeConnections(name);
          return null;
        });
    return this;
  }

  /** Returns the connections and bytes carried since the proxy started. */
  public ProxyCounters counters() {
    ProxyStats s = state().stats();
    return new ProxyCounters(
        s.connectionsTotal(), s.connectionsOpen(), s.bytesUpstream(), s.bytesDownstream());
  }

  private ProxyState state() {
    checkOpen();
    return Toxic.call(() -> registry.get(name));
  }

  private void update(boolean enabled) {
    checkOpen();
    Toxic.call(() -> registry.update(name, new ProxyUpdate(null, null, enabled)));
  }

  private synchronized void checkOpen() {
    if (closed) {
      throw new IllegalStateException("proxy " + name + " is closed");
    }
  }

  /** Stops listening and closes every connection. Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    registry.delete(name);
  }

  @Override
  public String toString() {
    return "LocalProxy[" + hostPort() + " -> " + upstream + "]";
  }

  /**
   * Returns how to build a {@link LocalProxy}: the upstream (required), the label in logs, and the
   * port to listen on (default: a free one).
   *
   * @since 0.1
   */
  public static final class Builder {
    private String upstream;
    private String label = "proxy";
    private int port;
    private PortReservation reservation;

    private Builder() {}

    /** Sets the upstream: a port, {@code host:port} or a URI. */
    public Builder upstream(String upstream) {
      this.upstream = Upstream.parse(upstream);
      return this;
    }

    /** Sets the upstream to the host and port of {@code uri}. */
    public Builder upstream(URI uri) {
      this.upstream = Upstream.ofUri(uri);
      return this;
    }

    /** Sets the upstream to {@code 127.0.0.1:port}. */
    public Builder upstream(int port) {
      this.upstream = Upstream.ofPort(port);
      return this;
    }

    /** Sets the label the proxy's name starts with (logs and errors). */
    public Builder name(String label) {
      if (label == null || label.isBlank()) {
        throw new IllegalArgumentException("name: must not be empty");
      }
      this.label = label;
      return this;
    }

    /** Listens on {@code port} of 127.0.0.1; 0 (the default) picks a free port. */
    public Builder listen(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
      }
      this.port = port;
      this.reservation = null;
      return this;
    }

    /** Listens on a reserved port, released just before the proxy binds it. */
    public Builder listen(PortReservation reservation) {
      this.reservation = reservation;
      this.port = reservation.port();
      return this;
    }

    /**
     * Returns the proxy, listening.
     *
     * @throws IllegalStateException when no upstream was given
     * @throws IllegalArgumentException when the port cannot be bound
     */
    public LocalProxy start() {
      SharedEngine.warmUp();
      return startNow();
    }

    LocalProxy startNow() {
      if (upstream == null) {
        throw new IllegalStateException("upstream: not set (call upstream(...) before start())");
      }
      if (reservation != null) {
        reservation.release();
      }
      String listen = InetAddress.getLoopbackAddress().getHostAddress() + ":" + port;
      return new LocalProxy(
          SharedEngine.registry(), SharedEngine.uniqueName(label), upstream, listen);
    }
  }
}
