package dev.porthole.proxy.toxics;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.Future;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Returns a toxic that sends each chunk no earlier than its arrival plus {@code latency} ms, plus a
 * uniform jitter in [-jitter, jitter) ms drawn per chunk. Order is kept; queued chunks do not pile
 * up extra delay because the delay counts from arrival. The link reads ahead while it waits, so a
 * delay does not cap throughput.
 */
public final class Latency extends Toxic {
  /** Returns the "latency" type: {"latency": ms, "jitter": ms}. */
  public static final ToxicType TYPE =
      BasicToxicType.builder("latency")
          .attr("latency", 0L, 0, BasicToxicType.MAX_MS)
          .attr("jitter", 0L, 0, BasicToxicType.MAX_MS)
          .udp()
          .build(a -> new Latency(
              BasicToxicType.longAttr(a, "latency"), BasicToxicType.longAttr(a, "jitter")));

  private record Held(ByteBuf buf, long dueNanos) {}

  private final long latencyMs;
  private final long jitterMs;
  private final ArrayDeque<Held> queue = new ArrayDeque<>();
  private Future<?> timer;
  private Runnable pendingEnd;

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
  protected void onChunk(ChannelHandlerContext ctx, ByteBuf buf) {
    long delay = latencyMs;
    if (jitterMs > 0) {
      delay += ThreadLocalRandom.current().nextLong(-jitterMs, jitterMs);
    }
    long now = nanoTime(ctx);
    if (delay <= 0 && queue.isEmpty()) {
      ctx.fireChannelRead(buf);
      return;
    }
    queue.add(new Held(buf, now + millis(Math.max(0, delay))));
    if (timer == null) {
      release(ctx);
    }
  }

  private void release(ChannelHandlerContext ctx) {
    timer = null;
    long now = nanoTime(ctx);
    while (!queue.isEmpty() && queue.peek().dueNanos() <= now) {
      ctx.fireChannelRead(queue.poll().buf());
    }
    if (!queue.isEmpty()) {
      long wait = queue.peek().dueNanos() - now;
      timer = ctx.executor().schedule(() -> release(ctx), wait, TimeUnit.NANOSECONDS);
    } else if (pendingEnd != null) {
      Runnable end = pendingEnd;
      pendingEnd = null;
      end.run();
    }
  }

  @Override
  protected void onEnd(ChannelHandlerContext ctx, Runnable pass) {
    if (queue.isEmpty()) {
      pass.run();
    } else if (pendingEnd == null) {
      pendingEnd = pass;
    }
  }

  @Override
  protected void onRemoved(ChannelHandlerContext ctx) {
    if (timer != null) {
      timer.cancel(false);
    }
    while (!queue.isEmpty()) {
      ctx.fireChannelRead(queue.poll().buf());
    }
    if (pendingEnd != null) {
      pendingEnd.run();
    }
  }

  static Map<String, Object> attributes(long latency, long jitter) {
    return Map.of("latency", latency, "jitter", jitter);
  }
}
