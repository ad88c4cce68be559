package dev.porthole.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.porthole.proxy.ProxyException;
import dev.porthole.proxy.ProxyRegistry;
import dev.porthole.proxy.ProxyRegistry.PopulateResult;
import dev.porthole.proxy.ProxyState;
import dev.porthole.proxy.ToxicState;
import dev.porthole.proxy.toxics.ToxicType;
import dev.porthole.sockets.Protocol;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Returns the proxy and toxic routes in two flavours: Toxiproxy's API exactly ({@code /proxies},
 * {@code /populate}, {@code /reset}, {@code /version}), and porthole's own under {@code /api/} (the
 * same operations, proxies with protocol and counters, JSON errors, no browser block).
 */
final class ProxyRoutes implements ApiModule {
  /** Returns which API a {@link ProxyRoutes} serves. */
  enum Flavor {
    TOXIPROXY(""),
    PORTHOLE("/api");

    final String prefix;

    Flavor(String prefix) {
      this.prefix = prefix;
    }
  }

  /** The Toxiproxy version whose API these routes implement; {@code /version} reports it. */
  static final String TOXIPROXY_VERSION = "2.12.0";

  private final ProxyRegistry registry;
  private final Flavor flavor;

  ProxyRoutes(DaemonServices services, Flavor flavor) {
    this(services.proxies(), flavor);
  }

  /** Returns the routes of {@code registry} alone (the API's warm-up, on a throwaway one). */
  ProxyRoutes(ProxyRegistry registry, Flavor flavor) {
    this.registry = registry;
    this.flavor = flavor;
  }

  @Override
  public void register(RoutesConfig routes) {
    String p = flavor.prefix;
    path(routes, p + "/proxies", this::list, this::create, null, null);
    path(routes, p + "/populate", null, this::populate, null, null);
    path(routes, p + "/reset", null, this::reset, null, null);
    path(routes, p + "/proxies/{proxy}", this::show, this::update, this::update, this::delete);
    path(routes, p + "/proxies/{proxy}/toxics", this::toxics, this::addToxic, null, null);
    path(
        routes,
        p + "/proxies/{proxy}/toxics/{toxic}",
        this::toxic,
        this::updateToxic,
        this::updateToxic,
        this::removeToxic);
    if (flavor == Flavor.TOXIPROXY) {
      path(routes, "/version", this::version, null, null, null);
    } else {
      path(routes, "/api/toxic-types", this::types, null, null, null);
    }
  }

  /** Registers one path's methods; HEAD and OPTIONS get 405 like Toxiproxy's router. */
  private void path(
      RoutesConfig routes, String path, Handler get, Handler post, Handler patch, Handler delete) {
    if (get != null) {
      routes.get(path, wrap(get));
    }
    if (post != null) {
      routes.post(path, wrap(post));
    }
    if (patch != null) {
      routes.patch(path, wrap(patch));
    }
    if (delete != null) {
      routes.delete(path, wrap(delete));
    }
    if (flavor == Flavor.TOXIPROXY) {
      routes.head(path, ctx -> ctx.status(405));
      routes.options(path, ErrorResponses::methodNotAllowed405);
    }
  }

  private Handler wrap(Handler handler) {
    return ctx -> {
      if (flavor == Flavor.TOXIPROXY) {
        ctx.header(RequestIds.HEADER, RequestIds.next());
        String agent = ctx.header("User-Agent");
        if (agent != null && agent.startsWith("Mozilla/")) {
          ctx.status(403).header("X-Content-Type-Options", "nosniff");
          ctx.contentType("text/plain; charset=utf-8").result("User agent not allowed\n");
          return;
        }
      }
      try {
        handler.handle(ctx);
      } catch (ProxyException e) {
        throw apiError(e);
      }
    };
  }

  /**
   * Returns the status for a refusal, the same on both route families. A listen address that is
   * taken is 409 and one that cannot be used is 400 where Toxiproxy answers 500: its clients treat
   * every non-2xx as an error and read the same {@code {"error","status"}} body, so they still see
   * one, and a 500 stays what it means, porthole failing.
   */
  static ApiError apiError(ProxyException e) {
    int status =
        switch (e.kind()) {
          case BAD_REQUEST, LISTEN -> 400;
          case NOT_FOUND -> 404;
          case CONFLICT, IN_USE -> 409;
          case FAILED -> 500;
        };
    return new ApiError(status, e.getMessage());
  }

  private static void json(Context ctx, int status, Object body) {
    ctx.status(status).contentType("application/json").result(Json.write(body));
  }

  private Object view(ProxyState p) {
    return flavor == Flavor.TOXIPROXY ? ProxyJson.proxy(p) : ProxyJson.detailed(p);
  }

  private void version(Context ctx) {
    ctx.contentType("application/json;charset=utf-8");
    ctx.result("{\"version\": \"" + TOXIPROXY_VERSION + "\"}\n");
  }

  /** Returns every toxic type with its attributes, kinds and defaults (for forms and the CLI). */
  private void types(Context ctx) {
    List<Object> out = new java.util.ArrayList<>();
    for (ToxicType type : registry.types().types()) {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("name", type.name());
      List<Object> attributes = new java.util.ArrayList<>();
      type.defaults()
          .forEach(
              (key, value) -> {
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("name", key);
                a.put("type", kindOf(type.attributeType(key)));
                a.put("default", ProxyJson.number(value));
                attributes.add(a);
              });
      t.put("attributes", attributes);
      t.put(
          "protocols",
          java.util.Arrays.stream(Protocol.values())
              .filter(type::supports)
              .map(Protocol::label)
              .toList());
      out.add(t);
    }
    json(ctx, 200, out);
  }

  /** Returns the JSON kind of an attribute class: integer, number or string. */
  private static String kindOf(Class<?> kind) {
    if (kind == String.class) {
      return "string";
    }
    return kind == Double.class ? "number" : "integer";
  }

  private void list(Context ctx) {
    List<ProxyState> all = registry.list();
    if (flavor == Flavor.PORTHOLE) {
      json(ctx, 200, all.stream().map(this::view).toList());
      return;
    }
    Map<String, Object> byName = new LinkedHashMap<>();
    all.forEach(p -> byName.put(p.name(), view(p)));
    json(ctx, 200, byName);
  }

  private void create(Context ctx) {
    JsonNode body = RequestBodies.parse(RequestBodies.text(ctx));
    json(ctx, 201, view(registry.create(RequestBodies.newProxy(body))));
  }

  private void show(Context ctx) {
    json(ctx, 200, view(registry.get(ctx.pathParam("proxy"))));
  }

  private void update(Context ctx) {
    String name = ctx.pathParam("proxy");
    registry.get(name);
    JsonNode body = RequestBodies.parse(RequestBodies.text(ctx));
    json(ctx, 200, view(registry.update(name, RequestBodies.proxyUpdate(body))));
  }

  private void delete(Context ctx) {
    registry.delete(ctx.pathParam("proxy"));
    noContent(ctx);
  }

  private void reset(Context ctx) {
    registry.reset();
    noContent(ctx);
  }

  private static void noContent(Context ctx) {
    ctx.status(204);
    ctx.res().setContentType(null);
  }

  /** Returns 201 {"proxies":[…]}, or the error with the proxies done before it (JSON, no \n). */
  private void populate(Context ctx) {
    PopulateResult result;
    try {
      result =
          registry.populate(RequestBodies.newProxies(RequestBodies.parse(RequestBodies.text(ctx))));
    } catch (ApiError e) {
      result =
          new PopulateResult(
              List.of(), new ProxyException(ProxyException.Kind.BAD_REQUEST, e.getMessage()));
    } catch (ProxyException e) {
      result = new PopulateResult(List.of(), e);
    }
    List<Object> proxies = result.proxies().stream().map(this::view).toList();
    Map<String, Object> body = new LinkedHashMap<>();
    if (result.error() == null) {
      body.put("proxies", proxies);
      json(ctx, 201, body);
      return;
    }
    ApiError error = apiError(result.error());
    body.put("error", error.getMessage());
    body.put("status", error.status());
    body.put("proxies", proxies.isEmpty() ? null : proxies);
    json(ctx, error.status(), body);
  }

  private void toxics(Context ctx) {
    json(ctx, 200, ProxyJson.toxics(registry.toxics(ctx.pathParam("proxy"))));
  }

  private void addToxic(Context ctx) {
    String proxy = ctx.pathParam("proxy");
    registry.get(proxy);
    JsonNode body = RequestBodies.parse(RequestBodies.text(ctx));
    ToxicState t = registry.addToxic(proxy, RequestBodies.toxicRequest(body));
    json(ctx, flavor == Flavor.TOXIPROXY ? 200 : 201, ProxyJson.toxic(t));
  }

  private void toxic(Context ctx) {
    json(ctx, 200, ProxyJson.toxic(registry.toxic(ctx.pathParam("proxy"), ctx.pathParam("toxic"))));
  }

  private void updateToxic(Context ctx) {
    String proxy = ctx.pathParam("proxy");
    String toxic = ctx.pathParam("toxic");
    registry.toxic(proxy, toxic);
    JsonNode body =
        RequestBodies.object(RequestBodies.parse(RequestBodies.text(ctx)), "toxics.ToxicWrapper");
    ToxicState t =
        registry.updateToxic(
            proxy,
            toxic,
            RequestBodies.attributes(body),
            RequestBodies.number(body, "ToxicWrapper", "toxicity"));
    json(ctx, 200, ProxyJson.toxic(t));
  }

  private void removeToxic(Context ctx) {
    registry.removeToxic(ctx.pathParam("proxy"), ctx.pathParam("toxic"));
    noContent(ctx);
  }
}
