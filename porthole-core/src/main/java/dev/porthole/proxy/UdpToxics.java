package dev.porthole.proxy;

import dev.porthole.proxy.toxics.SharedBandwidth;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import dev.porthole.proxy.toxics.SharedState;

/**
 * Returns the toxics of one UDP session direction, decided per datagram: how many copies to send
 * (0 for a loss, 2 for a duplicate) and after what delay. Datagrams are independent, so a jittered
 * delay may reorder them, as on a real network. Toxicity is rolled per session and direction.
 */
final class UdpToxics {
  /** Returns what to do with one datagram. */
  record Verdict(int copies, long delayNanos) {}

  private record Active(ToxicSpec spec, SharedBandwidth.Budget budget) {}

  private final List<Active> active = new ArrayList<>();

  UdpToxics(List<ToxicSpec> all, Direction direction, Function<ToxicSpec, SharedState> shared) {
    for (ToxicSpec spec : all) {
      if (spec.direction() != direction
          || ThreadLocalRandom.current().nextDouble() >= spec.toxicity()) {
        continue;
      }
      SharedBandwidth.Budget budget = null;
      if (spec.type().equals("bandwidth")) {
        budget = new SharedBandwidth.Budget(longAttr(spec, "rate"));
      } else if (spec.type().equals("shared_bandwidth")) {
        long rate = longAttr(spec, "rate");
        budget = shared.apply(spec).get("rate=" + rate, () -> new SharedBandwidth.Budget(rate));
      }
      active.add(new Active(spec, budget));
    }
  }

  /** Returns the verdict for a datagram of {@code bytes} arriving at {@code now}. */
  Verdict judge(int bytes, long now) {
    int copies = 1;
    long delay = 0;
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (Active a : active) {
      ToxicSpec spec = a.spec();
      switch (spec.type()) {
        case "latency" -> {
          long ms = longAttr(spec, "latency");
          long jitter = longAttr(spec, "jitter");
          if (jitter > 0) {
            ms += random.nextLong(-jitter, jitter);
          }
          delay += Math.max(0, ms) * 1_000_000L;
        }
        case "loss" -> copies = random.nextDouble() < doubleAttr(spec, "probability") ? 0 : copies;
        case "duplicate" ->
            copies = random.nextDouble() < doubleAttr(spec, "probability") ? copies * 2 : copies;
        case "bandwidth", "shared_bandwidth" ->
            delay = Math.max(delay, a.budget().reserve(bytes, now + delay) - now);
        default -> {
          // noop, and types validated away for UDP.
        }
      }
    }
    return new Verdict(copies, delay);
  }

  private static long longAttr(ToxicSpec spec, String key) {
    return spec.attributes().get(key) instanceof Number n ? n.longValue() : 0;
  }

  private static double doubleAttr(ToxicSpec spec, String key) {
    return spec.attributes().get(key) instanceof Number n ? n.doubleValue() : 0;
  }
}
