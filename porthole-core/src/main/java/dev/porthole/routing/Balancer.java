package dev.porthole.routing;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Returns the upstreams of one route in round-robin order, with passive health: an upstream that
 * refused a connection is skipped for a while, unless every upstream is being skipped (then all are
 * tried again rather than failing without trying).
 */
public final class Balancer {
  private final Route route;
  private final Clock clock;
  private final long skipMillis;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicLongArray skipUntil;

  Balancer(Route route, Clock clock, Duration skip) {
    this.route = route;
    this.clock = clock;
    this.skipMillis = skip.toMillis();
    this.skipUntil = new AtomicLongArray(route.upstreams().size());
  }

  /** Returns the route this balancer serves. */
  public Route route() {
    return route;
  }

  /**
   * Returns the upstreams to try for one request, in order: healthy ones first starting at the
   * round-robin position, then those being skipped (so a request still gets a last chance).
   */
  public List<Upstream> order() {
    List<Upstream> all = route.upstreams();
    int n = all.size();
    if (n == 1) {
      return all; // one upstream: tried whether skipped or not, and no list to build per request
    }
    int start = Math.floorMod(next.getAndIncrement(), n);
    long now = clock.millis();
    List<Upstream> healthy = new ArrayList<>(n);
    List<Upstream> skipped = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int k = (start + i) % n;
      (skipUntil.get(k) > now ? skipped : healthy).add(all.get(k));
    }
    healthy.addAll(skipped);
    return healthy;
  }

  /** Marks {@code upstream} as refusing: it is skipped for a while. */
  public void refused(Upstream upstream) {
    int k = route.upstreams().indexOf(upstream);
    if (k >= 0) {
      skipUntil.set(k, clock.millis() + skipMillis);
    }
  }

  /** Marks {@code upstream} as answering again. */
  public void answered(Upstream upstream) {
    int k = route.upstreams().indexOf(upstream);
    if (k >= 0 && skipUntil.get(k) != 0) {
      skipUntil.set(k, 0);
    }
  }

  /** Returns whether {@code upstream} is being skipped now. */
  public boolean skipped(Upstream upstream) {
    int k = route.upstreams().indexOf(upstream);
    return k >= 0 && skipUntil.get(k) > clock.millis();
  }
}
