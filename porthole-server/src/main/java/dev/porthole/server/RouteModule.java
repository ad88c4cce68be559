package dev.porthole.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.porthole.routing.Balancer;
import dev.porthole.routing.Route;
import dev.porthole.routing.RouteException;
import dev.porthole.routing.Routes;
import dev.porthole.routing.Upstream;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Returns the routes by name ({@code /api/routes}): list, add, show, remove. The router reads the
 * same table, so a route added here answers on the next request.
 */
final class RouteModule implements ApiModule {
  private final Routes routes;
  private final DaemonServices services;

  RouteModule(DaemonServices services) {
    this.services = services;
    this.routes = services.routes();
  }

  @Override
  public void register(RoutesConfig config) {
    config.get("/api/routes", wrap(this::list));
    config.post("/api/routes", wrap(this::add));
    config.get("/api/routes/{name}", wrap(this::show));
    config.delete("/api/routes/{name}", wrap(this::remove));
    config.get("/api/router", wrap(this::router));
  }

  private static Handler wrap(Handler handler) {
    return ctx -> {
      try {
        handler.handle(ctx);
      } catch (RouteException e) {
        throw apiError(e);
      }
    };
  }

  static ApiError apiError(RouteException e) {
    int status =
        switch (e.kind()) {
          case BAD_REQUEST -> 400;
          case NOT_FOUND -> 404;
          case CONFLICT -> 409;
        };
    return new ApiError(status, e.getMessage());
  }

  private void list(Context ctx) {
    List<Object> out = new ArrayList<>();
    for (Balancer b : routes.balancers()) {
      out.add(view(b));
    }
    json(ctx, 200, out);
  }

  private void show(Context ctx) {
    Route r = routes.get(ctx.pathParam("name"));
    json(ctx, 200, view(routes.find(r.name())));
  }

  private void add(Context ctx) {
    JsonNode body = RequestBodies.object(RequestBodies.parse(ctx.body()), "route");
    JsonNode name = body.get("name");
    if (name == null || !name.isTextual()) {
      throw ApiError.badRequest("missing required field: name");
    }
    JsonNode ups = body.get("upstreams");
    if (ups == null || !ups.isArray() || ups.isEmpty()) {
      throw ApiError.badRequest("missing required field: upstreams (a list of HOST:PORT)");
    }
    List<Upstream> upstreams = new ArrayList<>();
    for (JsonNode u : ups) {
      if (!u.isTextual() && !u.isInt()) {
        throw ApiError.badRequest("upstreams: each must be a string HOST:PORT or a port");
      }
      upstreams.add(Upstream.parse(u.asText()));
    }
    Route r = routes.add(name.asText(), upstreams);
    json(ctx, 201, view(routes.find(r.name())));
  }

  private void remove(Context ctx) {
    routes.remove(ctx.pathParam("name"));
    ctx.status(204);
  }

  private void router(Context ctx) {
    Map<String, Object> out = new LinkedHashMap<>();
    RouterInfo info = services.router().get();
    out.put("running", info != null);
    out.put("httpPort", info == null ? null : info.httpPort());
    out.put("httpsPort", info == null ? null : info.httpsPort());
    out.put("caCertificate", info == null ? null : info.caCertificate());
    out.put("tls", info == null ? null : info.tls());
    json(ctx, 200, out);
  }

  /** Returns a route as the API shows it: the upstreams with whether each is being skipped. */
  static Map<String, Object> view(Balancer b) {
    Route r = b.route();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", r.name());
    List<Object> ups = new ArrayList<>();
    for (Upstream u : r.upstreams()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("address", u.toString());
      m.put("skipped", b.skipped(u));
      ups.add(m);
    }
    out.put("upstreams", ups);
    out.put("created", r.created().toString());
    return out;
  }

  private static void json(Context ctx, int status, Object body) {
    ctx.status(status).contentType("application/json").result(Json.write(body));
  }
}
