package dev.porthole.proxy.toxics;

import io.netty.buffer.ByteBuf;
import java.util.Map;

/**
 * Returns porthole's proxy-wide bandwidth limit: every connection of the proxy, in the toxic's
 * direction, shares one budget of {@code rate} KB/s (KB = 1000 bytes). Toxiproxy's {@code
 * bandwidth} limits each connection separately (its issues #190 and #613 ask for this one).
 */
public final class SharedBandwidth extends DelayingToxic {
  /** Returns the "shared_bandwidth" type: {"rate": KB/s}; 0 means no limit. */
  public static final ToxicType TYPE = new ToxicTypeWithState(
      BasicToxicType.builder("shared_bandwidth")
          .attr("rate", 0L, 0, 100_000_000L)
          .udp()
          .build(a -> new SharedBandwidth(new Budget(BasicToxicType.longAttr(a, "rate")))),
      (a, shared) -> {
        long rate = BasicToxicType.longAttr(a, "rate");
        return new SharedBandwidth(shared.get("rate=" + rate, () -> new Budget(rate)));
      });

  /** Returns the schedule all links of a proxy draw from: when the next byte may leave. */
  public static final class Budget {
    private final long rate;
    private long nextFreeNanos = Long.MIN_VALUE;

    /** Returns a budget of {@code rate} KB/s (bytes per ms); 0 means no limit. */
    public Budget(long rate) {
      this.rate = rate;
    }

    /** Returns when {@code bytes} arriving at {@code now} may be sent, and books them. */
    public synchronized long reserve(int bytes, long now) {
      if (rate <= 0) {
        return now;
      }
      long start = Math.max(now, nextFreeNanos);
      nextFreeNanos = start + bytes * 1_000_000L / rate;
      return nextFreeNanos;
    }
  }

  private final Budget budget;

  private SharedBandwidth(Budget budget) {
    this.budget = budget;
  }

  @Override
  protected long dueNanos(ByteBuf buf, long now) {
    return budget.reserve(buf.readableBytes(), now);
  }

  static Map<String, Object> attributes(long rate) {
    return Map.of("rate", rate);
  }
}
