package dev.porthole.proxy.toxics;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Returns a toxic that sends each chunk no earlier than its arrival plus {@code latency} ms, plus a
 * uniform jitter in [-jitter, jitter) ms drawn per chunk. Order is kept; queued chunks do not pile
 * up extra delay because the delay counts from arrival. The link reads ahead while it waits, so a
 * delay does not cap throughput.
 */
public final class Latency extends DelayingToxic {
  /** Returns the "latency" type: {"latency": ms, "jitter": ms}. */
  public static final ToxicType TYPE =
      BasicToxicType.builder("latency")
          .attr("latency", 0L, 0, BasicToxicType.MAX_MS)
          .attr("jitter", 0L, 0, BasicToxicType.MAX_MS)
          .udp()
          .build(a -> new Latency(
              BasicToxicType.longAttr(a, "latency"), BasicToxicType.longAttr(a, "jitter")));

  private final long latencyMs;
  private final long jitterMs;

  /** Returns a latency toxic; both values in milliseconds, 0 disables each. */
  public Latency(long latencyMs, long jitterMs) {
    this.latencyMs = latencyMs;
    this.jitterMs = jitterMs;
  }

  @Override
  public int readAhead() {
    return 32 << 20; // like Toxiproxy's 1024-chunk buffer: a delay must not cap throughput
  }

  @Override
  protected long dueNanos(ByteBuf buf, long now) {
    long delay = latencyMs;
    if (jitterMs > 0) {
      delay += ThreadLocalRandom.current().nextLong(-jitterMs, jitterMs);
    }
    return now + millis(Math.max(0, delay));
  }

  /** Returns a one-way delay sample in ms (for UDP datagrams, which are not queued in order). */
  long sampleMillis() {
    long delay = latencyMs;
    if (jitterMs > 0) {
      delay += ThreadLocalRandom.current().nextLong(-jitterMs, jitterMs);
    }
    return Math.max(0, delay);
  }
}
