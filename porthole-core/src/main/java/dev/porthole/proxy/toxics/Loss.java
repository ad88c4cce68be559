package dev.porthole.proxy.toxics;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Returns porthole's packet-loss toxic. TCP cannot lose bytes, so on a TCP link a "lost" chunk is
 * held back for {@code delay} ms, as a retransmission would (Linux's minimum RTO is 200 ms), and
 * the chunks after it wait behind it (head-of-line blocking). On UDP the datagram is dropped.
 */
public final class Loss extends DelayingToxic {
  /** Returns the "loss" type: {"probability": 0..1, "delay": ms}. */
  public static final ToxicType TYPE =
      BasicToxicType.builder("loss")
          .attr("probability", 0.0, 0.0, 1.0)
          .attr("delay", 200L, 0, BasicToxicType.MAX_MS)
          .udp()
          .build(a -> new Loss(
              BasicToxicType.doubleAttr(a, "probability"), BasicToxicType.longAttr(a, "delay")));

  private final double probability;
  private final long delayMs;

  /** Returns a loss toxic losing each chunk with {@code probability}, retransmitted after ms. */
  public Loss(double probability, long delayMs) {
    this.probability = probability;
    this.delayMs = delayMs;
  }

  @Override
  public int readAhead() {
    return 4 << 20;
  }

  /** Returns whether the next chunk or datagram is lost. */
  boolean lose() {
    return probability > 0 && ThreadLocalRandom.current().nextDouble() < probability;
  }

  @Override
  protected long dueNanos(ByteBuf buf, long now) {
    return lose() ? now + millis(delayMs) : now;
  }
}
