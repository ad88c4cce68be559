package dev.porthole.routing;

import java.time.Instant;
import java.util.List;

/**
 * Returns one route: a name under {@code .localhost} and the upstreams that serve it, tried in turn
 * (round-robin; one that refused is skipped for a while).
 *
 * @param name the lower-case name, e.g. {@code api.localhost}
 * @param upstreams one or more upstreams, in the order given
 * @param created when the route was added
 */
public record Route(String name, List<Upstream> upstreams, Instant created) {
  public Route {
    name = RouteName.check(name);
    if (upstreams == null || upstreams.isEmpty()) {
      throw RouteException.bad("route " + name + ": at least one upstream is needed");
    }
    upstreams = List.copyOf(upstreams);
    if (created == null) {
      throw new IllegalArgumentException("created: null");
    }
  }
}
