package dev.porthole.server;

import dev.porthole.quarantine.PolicyQuarantine;
import dev.porthole.text.Durations;
import dev.porthole.text.Numbers;
import dev.porthole.watch.EventType;
import dev.porthole.watch.PolicyException;
import dev.porthole.watch.WatchSettings;
import dev.porthole.watch.WatchStore;
import dev.porthole.watch.Watcher;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Returns the daemon's watch: the watcher running in the background, its routes ({@code
 * /api/watch/listeners}, {@code /api/watch/events}, {@code /api/watch/history/{port}}) and {@code
 * /metrics} in Prometheus text format.
 *
 * <p>Its settings are the daemon's own ({@link DaemonConfig#watch()}); none turns the watch off.
 */
public final class WatchModule implements ApiModule {
  private static final Logger LOG = LoggerFactory.getLogger(WatchModule.class);

  private final DaemonServices services;
  private volatile Watcher watcher;
  private WatchMetrics metrics;
  private final CaptureMetrics captureMetrics;

  WatchModule(DaemonServices services) {
    this.services = services;
    this.captureMetrics = new CaptureMetrics(services.capture());
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.get("/metrics", this::metrics);
    routes.get("/api/watch/listeners", ctx -> json(ctx, running().listeners()));
    routes.get("/api/watch/events", this::events);
    routes.get("/api/watch/history/{port}", this::history);
  }

  /**
   * Starts the watcher. A broken policy file fails the daemon's start (there is no last good one
   * yet), as an {@link IllegalArgumentException} with the file, line and reason.
   */
  @Override
  public void start() {
    WatchSettings configured = services.config().watch();
    if (configured == null) {
      metrics = new WatchMetrics(null, services.proxies());
      return;
    }
    try {
      watcher =
          configured
              .open(services.dataDir(), services.store())
              .quarantineWith(new PolicyQuarantine(services.store()));
    } catch (PolicyException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    metrics = new WatchMetrics(watcher, services.proxies());
    watcher.addSink(metrics::count);
    watcher.start();
    LOG.debug("watch started: every {}", Durations.format(configured.interval()));
  }

  /**
   * Returns the listeners of the watch's last cycle with the time that reading began, or empty
   * while the watch is off or has not finished a cycle yet: the dashboard shows these rather than
   * reading /proc a second time.
   */
  public Optional<Watcher.Reading> lastReading() {
    Watcher w = watcher;
    return w == null || w.lastCycleNanos() == 0 ? Optional.empty() : Optional.of(w.lastReading());
  }

  private Watcher running() {
    if (watcher == null) {
      throw new ApiError(404, "the watch is off (porthole up --no-watch)");
    }
    return watcher;
  }

  private void metrics(Context ctx) {
    ctx.header(RequestIds.HEADER, RequestIds.next()); // Toxiproxy's /metrics has one too
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
        .result(metrics.scrape() + captureMetrics.scrape());
  }

  private void events(Context ctx) {
    running();
    Instant since;
    Set<String> types = new LinkedHashSet<>();
    Integer port;
    try {
      String s = ctx.queryParam("since");
      since = since(s == null ? "24h" : s);
      String t = ctx.queryParam("type");
      for (String one : t == null || t.isBlank() ? new String[0] : t.split(",")) {
        types.add(EventType.fromLabel(one).label());
      }
      String p = ctx.queryParam("port");
      port = p == null ? null : Numbers.port(p, "port");
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(e.getMessage());
    }
    json(
        ctx,
        new WatchStore(services.store())
            .events(new WatchStore.EventQuery(since, types, port, 1000)));
  }

  /** Returns now minus {@code text}; a span past the start of time is a 400, not a 500. */
  private static Instant since(String text) {
    try {
      return Instant.now().minus(Durations.parse(text, "since"));
    } catch (java.time.DateTimeException | ArithmeticException e) {
      throw ApiError.badRequest("since: " + text + " reaches before the earliest instant");
    }
  }

  private void history(Context ctx) {
    running();
    int port;
    try {
      port = Numbers.port(ctx.pathParam("port"), "port");
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(e.getMessage());
    }
    json(ctx, new WatchStore(services.store()).history(port));
  }

  private static void json(Context ctx, Object body) {
    ctx.contentType("application/json").result(Json.write(body));
  }

  @Override
  public void close() {
    if (watcher != null) {
      watcher.close();
    }
    if (metrics != null) {
      metrics.close();
    }
  }
}
