package dev.porthole.routing;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Returns the route table: names to upstreams, kept by a {@link RoutePersistence}, read by the
 * router on every request (lock-free) and changed by the API.
 *
 * <pre>{@code
 * Routes routes = new Routes(new RouteTable(store), Clock.systemUTC());
 * routes.add("api.localhost", List.of(Upstream.parse("127.0.0.1:8080")));
 * Balancer b = routes.find("api.localhost");
 * }</pre>
 */
public final class Routes {
  /** How long an upstream that refused a connection is skipped. */
  public static final Duration SKIP_AFTER_REFUSAL = Duration.ofSeconds(10);

  private final RoutePersistence persistence;
  private final Clock clock;
  private final Map<String, Balancer> byName = new ConcurrentHashMap<>();

  /** Returns the table with every route {@code persistence} kept. */
  public Routes(RoutePersistence persistence, Clock clock) {
    this.persistence = persistence;
    this.clock = clock;
    for (Route r : persistence.load()) {
      byName.put(r.name(), new Balancer(r, clock, SKIP_AFTER_REFUSAL));
    }
  }

  /**
   * Adds a route and keeps it.
   *
   * @throws RouteException BAD_REQUEST for a bad name or upstream, CONFLICT when the name exists
   */
  public synchronized Route add(String name, List<Upstream> upstreams) {
    Route route = new Route(name, upstreams, clock.instant());
    if (byName.containsKey(route.name())) {
      throw new RouteException(
          RouteException.Kind.CONFLICT,
          "route "
              + route.name()
              + " exists already (remove it first: porthole route remove "
              + route.name()
              + ")");
    }
    persistence.save(route);
    byName.put(route.name(), new Balancer(route, clock, SKIP_AFTER_REFUSAL));
    return route;
  }

  /** Removes the route called {@code name}; throws NOT_FOUND when there is none. */
  public synchronized Route remove(String name) {
    String key = name == null ? "" : name.toLowerCase(Locale.ROOT);
    Balancer b = byName.get(key);
    if (b == null) {
      throw new RouteException(RouteException.Kind.NOT_FOUND, "no route " + name);
    }
    persistence.delete(key);
    byName.remove(key);
    return b.route();
  }

  /** Returns the balancer of the route for {@code host} (a Host header or SNI), or null. */
  public Balancer find(String host) {
    if (host == null || host.isEmpty()) {
      return null;
    }
    String h = host.toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    return byName.get(h);
  }

  /** Returns the route called {@code name}; throws NOT_FOUND when there is none. */
  public Route get(String name) {
    Balancer b = find(name);
    if (b == null) {
      throw new RouteException(RouteException.Kind.NOT_FOUND, "no route " + name);
    }
    return b.route();
  }

  /** Returns every route, by name. */
  public List<Route> list() {
    List<Route> out = new ArrayList<>();
    for (Balancer b : byName.values()) {
      out.add(b.route());
    }
    out.sort(Comparator.comparing(Route::name));
    return out;
  }

  /** Returns every balancer, by route name (for health in the API). */
  public List<Balancer> balancers() {
    List<Balancer> out = new ArrayList<>(byName.values());
    out.sort(Comparator.comparing(b -> b.route().name()));
    return out;
  }
}
