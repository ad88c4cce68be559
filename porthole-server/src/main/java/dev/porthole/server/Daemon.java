package dev.porthole.server;

import dev.porthole.build.BuildInfo;
import dev.porthole.proxy.ProxyEngine;
import dev.porthole.proxy.ProxyOptions;
import dev.porthole.proxy.ProxyRegistry;
import dev.porthole.proxy.ProxyWarmUp;
import dev.porthole.proxy.toxics.ToxicRegistry;
import dev.porthole.routing.Routes;
import dev.porthole.store.DataDir;
import dev.porthole.store.ProxyTable;
import dev.porthole.store.RouteTable;
import dev.porthole.store.Store;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Returns the porthole daemon: the store, the proxies and the HTTP API on one port (and the
 * Toxiproxy API on a second one when asked).
 *
 * <pre>{@code
 * try (Daemon d = Daemon.start(DaemonConfig.local(0, dataDir))) {
 *   URI api = URI.create(d.url());
 * }
 * }</pre>
 */
public final class Daemon implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

  private final DaemonServices services;
  private final List<ApiModule> modules = new ArrayList<>();
  private final List<Javalin> servers = new ArrayList<>();
  private final AtomicReference<RouterInfo> routerInfo;
  private DaemonRouter router;
  private final StartupGate gate = new StartupGate();
  private final ApiWarmUp.Stop warmUpStop = new ApiWarmUp.Stop();
  private CompletableFuture<DaemonWarmUp.Result> warmUp =
      CompletableFuture.completedFuture(
          new DaemonWarmUp.Result(new ProxyWarmUp.Result(0, 0), 0, false));
  private boolean closed;

  private Daemon(DaemonServices services, AtomicReference<RouterInfo> routerInfo) {
    this.services = services;
    this.routerInfo = routerInfo;
  }

  /**
   * Returns a started daemon.
   *
   * @throws IllegalArgumentException for a non-loopback host without {@code allowRemote}
   * @throws IllegalStateException when the data directory or a port cannot be used (one line)
   */
  public static Daemon start(DaemonConfig config) {
    return start(config, CaptureConfig.defaults());
  }

  /** Returns a started daemon that records its proxies' traffic as {@code capture} says. */
  public static Daemon start(DaemonConfig config, CaptureConfig capture) {
    if (!config.allowRemote() && !LoopbackNames.isLoopback(config.host())) {
      throw new IllegalArgumentException(
          "host: " + config.host() + " is not loopback (add --allow-remote to listen beyond it)");
    }
    Path dir = DataDir.ensureWritable(config.dataDir());
    String token;
    try {
      token = config.tokenRequired() ? Token.loadOrCreate(dir) : null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the token in " + dir + ": " + e.getMessage(), e);
    }
    Store store =
        config.persistent() ? Store.open(dir.resolve(DataDir.DATABASE)) : Store.inMemory();
    ProxyRegistry proxies;
    CaptureService captures = null;
    try {
      ProxyEngine engine = new ProxyEngine();
      captures = new CaptureService(capture, engine, store);
      proxies =
          new ProxyRegistry(
              engine,
              ToxicRegistry.standard(),
              new ProxyTable(store),
              config.allowRemote(),
              ProxyOptions.DEFAULT_CONNECT_TIMEOUT);
    } catch (RuntimeException e) {
      if (captures != null) {
        captures.close();
      }
      store.close();
      throw e;
    }
    AtomicReference<RouterInfo> info = new AtomicReference<>();
    Routes routes = new Routes(new RouteTable(store), Clock.systemUTC());
    Daemon daemon =
        new Daemon(
            new DaemonServices(
                config,
                dir,
                store,
                proxies,
                token,
                version(),
                Instant.now(),
                routes,
                info::get,
                captures),
            info);
    try {
      // The API port first: a second daemon on the same port fails before touching any proxy.
      daemon.startServers();
      // Requests wait at the gate (503) until every stored proxy is back.
      int restored = proxies.restore();
      daemon.gate.open();
      // Off the start path: a user's first proxy, and its first connection, find the path compiled.
      daemon.warmUp = DaemonWarmUp.start(proxies.engine(), capture, daemon.warmUpStop);
      LOG.debug("restored {} proxies from {}", restored, store.location());
      if (config.router() != null) {
        daemon.router = DaemonRouter.start(config.router(), dir, routes, proxies.engine());
        info.set(daemon.router.info());
      }
      FirewallAtStart.clean(store);
    } catch (RuntimeException e) {
      daemon.close();
      throw e;
    }
    return daemon;
  }

  private void startServers() {
    DaemonConfig config = services.config();
    SecurityGuard guard = new SecurityGuard(!config.allowRemote(), services.token());
    List<ApiModule> main = ApiModules.daemon(services);
    modules.addAll(main);
    servers.add(HttpApp.start(config.host(), config.port(), guard, gate, main));
    if (config.toxiproxyPort() >= 0) {
      List<ApiModule> extra = ApiModules.toxiproxyPort(services);
      modules.addAll(extra);
      servers.add(HttpApp.start(config.host(), config.toxiproxyPort(), guard, gate, extra));
    }
    for (ApiModule m : modules) {
      m.start();
    }
    LOG.debug("porthole daemon listening on {}", url());
  }

  /** Returns the API's bound port (the real one when started with port 0). */
  public int port() {
    return servers.getFirst().port();
  }

  /** Returns the Toxiproxy port's bound port, or -1 when there is none. */
  public int toxiproxyPort() {
    return servers.size() > 1 ? servers.get(1).port() : -1;
  }

  /** Returns the API's base URL, e.g. {@code http://127.0.0.1:62893}. */
  public String url() {
    return HttpApp.url(services.config().host(), port());
  }

  /** Returns where the router listens, or null when it is off. */
  public RouterInfo router() {
    return routerInfo.get();
  }

  /** Returns the warm-up started with the daemon; it completes when it ended. */
  public CompletableFuture<DaemonWarmUp.Result> warmUp() {
    return warmUp;
  }

  /** Returns the shared services (store, proxies, config). */
  public DaemonServices services() {
    return services;
  }

  static String version() {
    return BuildInfo.current().version();
  }

  /** Stops the HTTP servers, the modules and the proxies, then closes the store. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    warmUpStop.stop(); // before the engine closes under one of its creates
    for (Javalin server : servers) {
      server.stop();
    }
    if (router != null) {
      router.close();
    }
    for (ApiModule m : modules.reversed()) {
      try {
        m.close();
      } catch (RuntimeException e) {
        LOG.warn("module {} failed to stop: {}", m.getClass().getSimpleName(), e.toString());
      }
    }
    services.proxies().close();
    services.capture().close();
    services.store().close();
    LOG.debug("porthole daemon stopped");
  }
}
