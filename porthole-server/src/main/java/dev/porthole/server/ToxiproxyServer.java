package dev.porthole.server;

import dev.porthole.proxy.ProxyEngine;
import dev.porthole.proxy.ProxyOptions;
import dev.porthole.proxy.ProxyPersistence;
import dev.porthole.proxy.ProxyRegistry;
import dev.porthole.proxy.toxics.ToxicRegistry;
import io.javalin.Javalin;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process Toxiproxy server for tests: the daemon's Toxiproxy API (the same routes, guard and
 * errors) on a loopback port, with its own proxies and engine and neither the watch nor the store.
 * Clients that speak Toxiproxy, such as toxiproxy-java's {@code ToxiproxyClient} or
 * Testcontainers', drive it unchanged; any number of servers can run in one JVM.
 *
 * <pre>{@code
 * try (ToxiproxyServer toxiproxy = ToxiproxyServer.start()) {
 *   ToxiproxyClient client = new ToxiproxyClient(toxiproxy.host(), toxiproxy.port());
 *   Proxy db = client.createProxy("db", "127.0.0.1:0", "127.0.0.1:5432");
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class ToxiproxyServer implements AutoCloseable {
  private static final String HOST = "127.0.0.1";
  private static final AtomicInteger IDS = new AtomicInteger();

  private final ProxyRegistry proxies;
  private final List<ApiModule> modules;
  private final Javalin http;
  private boolean closed;

  private ToxiproxyServer(int port) {
    // Daemon threads: a test that forgets close() must not keep its JVM alive.
    proxies =
        new ProxyRegistry(
            ProxyEngine.daemon(2, "toxiproxy-" + IDS.incrementAndGet()),
            ToxicRegistry.standard(),
            ProxyPersistence.NONE,
            false,
            ProxyOptions.DEFAULT_CONNECT_TIMEOUT);
    // Nothing is written: the data directory is only a required field of the config.
    Path unused = Path.of(System.getProperty("java.io.tmpdir"));
    DaemonConfig config = new DaemonConfig(HOST, port, unused, -1, false, false, false);
    DaemonServices services =
        new DaemonServices(
            config,
            unused,
            null,
            proxies,
            null,
            Daemon.version(),
            Instant.now(),
            null,
            () -> null,
            null);
    modules = ApiModules.toxiproxyPort(services);
    try {
      // Nothing to restore: the gate is open from the start.
      StartupGate gate = new StartupGate();
      gate.open();
      http = HttpApp.start(HOST, port, new SecurityGuard(true, null), gate, modules);
    } catch (RuntimeException e) {
      proxies.close();
      throw e;
    }
    modules.forEach(ApiModule::start);
  }

  /** Returns a server listening on a free port of 127.0.0.1. */
  public static ToxiproxyServer start() {
    return new ToxiproxyServer(0);
  }

  /**
   * Returns a server listening on {@code port} of 127.0.0.1 (Toxiproxy's is 8474).
   *
   * @throws IllegalStateException when the port is taken (one line)
   */
  public static ToxiproxyServer start(int port) {
    return new ToxiproxyServer(port);
  }

  /** Returns {@code 127.0.0.1}. */
  public String host() {
    return HOST;
  }

  /** Returns the API's port. */
  public int port() {
    return http.port();
  }

  /** Returns the API's base URL, {@code http://127.0.0.1:<port>}. */
  public String url() {
    return HttpApp.url(HOST, port());
  }

  /** Returns the proxies this server controls, for assertions without HTTP. */
  public ProxyRegistry proxies() {
    return proxies;
  }

  /** Stops the API, then every proxy. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    http.stop();
    for (ApiModule m : modules.reversed()) {
      m.close();
    }
    proxies.close();
  }
}
