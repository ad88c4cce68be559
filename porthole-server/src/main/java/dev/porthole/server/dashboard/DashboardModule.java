package dev.porthole.server.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.porthole.server.ApiError;
import dev.porthole.server.ApiModule;
import dev.porthole.server.DaemonServices;
import dev.porthole.server.Json;
import dev.porthole.server.PidField;
import dev.porthole.server.RequestBodies;
import dev.porthole.server.WatchModule;
import dev.porthole.text.Numbers;
import dev.porthole.watch.Listener;
import dev.porthole.watch.ListenerReader;
import dev.porthole.watch.WatchEvent;
import dev.porthole.watch.WatchStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Returns the dashboard (PRODUCT C8): the page and its files at {@code /}, the routes only the page
 * needs under {@code /api/dashboard/}, and the live feed over Server-Sent Events. Proxies and
 * toxics go through the regular {@code /api/proxies} routes, so the page validates exactly like the
 * API; every route here runs behind the daemon's Host/Origin/token guard.
 */
public final class DashboardModule implements ApiModule {
  /** How often the page's live data is sampled. */
  static final Duration INTERVAL = Duration.ofSeconds(1);

  private final Assets assets = new Assets();
  private final WatchStore watch;
  private final LiveFeed feed;

  /**
   * Returns the dashboard of a daemon. Its listeners come from the watch's last cycle while the
   * watch runs, so /proc is read once for both; with the watch off it reads them itself.
   */
  public DashboardModule(DaemonServices services, WatchModule watchModule) {
    this.watch = new WatchStore(services.store());
    Supplier<List<Listener>> listeners =
        new FreshestListeners(watchModule::lastReading, ListenerReader.system());
    this.feed = new LiveFeed(services.proxies(), watch, listeners, INTERVAL);
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.get("/", ctx -> assets.serve(ctx, "index.html"));
    routes.get("/dashboard/{file}", ctx -> assets.serve(ctx, ctx.pathParam("file")));
    routes.get("/api/dashboard/stream", feed::stream);
    routes.get("/api/dashboard/ports", ctx -> json(ctx, PortViews.rows(feed.listeners())));
    routes.get("/api/dashboard/ports/{port}", this::port);
    routes.post("/api/dashboard/ports/{port}/kill", this::kill);
    routes.get(
        "/api/dashboard/ports/{port}/check",
        ctx -> json(ctx, PortCheck.run(port(ctx.pathParam("port")), ctx.queryParam("address"))));
    routes.get("/api/dashboard/events", this::events);
  }

  @Override
  public void start() {
    feed.start();
  }

  @Override
  public void close() {
    feed.close();
  }

  private static void json(Context ctx, Object body) {
    ctx.contentType("application/json").result(Json.write(body));
  }

  /** Returns a port's listeners with their processes in detail, and who held it before. */
  private void port(Context ctx) {
    int port = port(ctx.pathParam("port"));
    List<Listener> here = holders(port);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("port", port);
    body.put("listeners", here.stream().map(PortDetail::of).toList());
    body.put("history", watch.history(port).reversed());
    json(ctx, body);
  }

  /** Ends the process that holds the port, after the page asked for confirmation. */
  private void kill(Context ctx) {
    int port = port(ctx.pathParam("port"));
    JsonNode body = RequestBodies.jsonObject(RequestBodies.text(ctx));
    json(ctx, PortDetail.kill(port, PidField.of(body, ""), holders(port)));
  }

  /** Returns the watch's events, newest first, by type and port. */
  private void events(Context ctx) {
    String type = ctx.queryParam("type");
    String portText = ctx.queryParam("port");
    Integer port = portText == null || portText.isBlank() ? null : port(portText);
    int limit = 500;
    String limitText = ctx.queryParam("limit");
    if (limitText != null) {
      try {
        limit = Numbers.parseInt(limitText, "limit", 1, 10_000);
      } catch (IllegalArgumentException e) {
        throw ApiError.badRequest(e.getMessage());
      }
    }
    Set<String> types = null;
    if (type != null && !type.isBlank()) {
      try {
        types = Set.of(dev.porthole.watch.EventType.fromLabel(type).label());
      } catch (IllegalArgumentException e) {
        throw ApiError.badRequest(e.getMessage());
      }
    }
    List<WatchEvent> found = watch.events(new WatchStore.EventQuery(null, types, port, limit));
    json(ctx, found.reversed());
  }

  private List<Listener> holders(int port) {
    return feed.listeners().stream().filter(l -> l.port() == port).toList();
  }

  static int port(String text) {
    try {
      return Numbers.port(text, "port"); // ASCII digits only: "٨٠٠٠" is not port 8000
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(e.getMessage());
    }
  }
}
