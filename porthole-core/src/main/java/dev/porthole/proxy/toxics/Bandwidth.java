package dev.porthole.proxy.toxics;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.Future;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Returns a toxic that limits a link to {@code rate} KB/s (KB = 1000 bytes, so bytes per ms), as
 * Toxiproxy does: each chunk adds len/rate ms of "sleep debt"; a chunk longer than rate*100 bytes
 * goes out in rate*100-byte pieces every 100 ms; timer overshoot is deducted from the next wait.
 */
public final class Bandwidth extends Toxic {
  /** Returns the "bandwidth" type: {"rate": KB/s}; 0 means no limit. */
  public static final ToxicType TYPE =
      BasicToxicType.builder("bandwidth")
          .attr("rate", 0L, 0, 100_000_000L)
          .udp()
          .build(a -> new Bandwidth(BasicToxicType.longAttr(a, "rate")));

  private static final long PIECE_NANOS = 100_000_000L; // Toxiproxy's 100 ms pieces
  private final long rate;
  private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
  private long debtNanos;
  private boolean charged;
  private Future<?> timer;

  /** Returns a bandwidth toxic; {@code rate} in KB/s (bytes per ms), 0 for no limit. */
  public Bandwidth(long rate) {
    this.rate = rate;
  }

  @Override
  protected void onChunk(ChannelHandlerContext ctx, ByteBuf buf) {
    if (rate <= 0) {
      ctx.fireChannelRead(buf);
      return;
    }
    queue.add(buf);
    if (timer == null) {
      next(ctx);
    }
  }

  private void next(ChannelHandlerContext ctx) {
    timer = null;
    ByteBuf buf = queue.peek();
    if (buf == null) {
      passDeferredEnd();
      return;
    }
    if (!charged) {
      debtNanos += buf.readableBytes() * 1_000_000L / rate;
      charged = true;
    }
    long piece = rate * 100;
    if (buf.readableBytes() > piece) {
      timer = schedule(ctx, PIECE_NANOS, () -> {
        debtNanos -= PIECE_NANOS;
        ctx.fireChannelRead(buf.readRetainedSlice((int) piece));
      });
      return;
    }
    long start = nanoTime(ctx);
    timer = schedule(ctx, Math.max(0, debtNanos), () -> {
      debtNanos -= nanoTime(ctx) - start;
      queue.poll();
      charged = false;
      ctx.fireChannelRead(buf);
    });
  }

  private Future<?> schedule(ChannelHandlerContext ctx, long nanos, Runnable send) {
    return ctx.executor().schedule(() -> {
      send.run();
      next(ctx);
    }, nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  protected void onEnd(ChannelHandlerContext ctx, Runnable pass) {
    if (queue.isEmpty()) {
      pass.run();
    } else {
      deferEnd(pass);
    }
  }

  @Override
  protected void onRemoved(ChannelHandlerContext ctx) {
    if (timer != null) {
      timer.cancel(false);
    }
    while (!queue.isEmpty()) {
      ctx.fireChannelRead(queue.poll());
    }
    passDeferredEnd();
  }
}
