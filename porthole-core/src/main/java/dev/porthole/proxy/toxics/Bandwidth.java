package dev.porthole.proxy.toxics;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.Future;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Returns a toxic that limits a link to {@code rate} KB/s (KB = 1000 bytes, so bytes per ms), as
 * Toxiproxy does: a chunk goes out once the link has paid len/rate ms for it; a chunk longer than
 * rate*100 bytes goes out in rate*100-byte pieces, one per 100 ms.
 *
 * <p>The payment is kept as an absolute time ({@code paidUntil}): each chunk queued behind another
 * is due len/rate after the previous one was due, not after it actually went out. Timer lateness
 * and the time the relay takes to write a chunk are therefore not lost per chunk (they cost 1-3 %
 * of the rate when each wait started after the previous write); only a link that sat idle starts
 * paying again from the moment its next chunk arrives.
 */
public final class Bandwidth extends Toxic {
  /** Returns the "bandwidth" type: {"rate": KB/s}; 0 means no limit. */
  public static final ToxicType TYPE =
      BasicToxicType.builder("bandwidth")
          .attr("rate", 0L, 0, 100_000_000L)
          .udp()
          .build(a -> new Bandwidth(BasicToxicType.longAttr(a, "rate")));

  private final long rate;
  private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
  private long paidUntil;
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
      // Idle until now: no credit for the idle time, as Toxiproxy gives none.
      paidUntil = Math.max(paidUntil, nanoTime(ctx));
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
    int n = (int) Math.min(buf.readableBytes(), rate * 100); // Toxiproxy's 100 ms pieces
    paidUntil += n * 1_000_000L / rate;
    long wait = Math.max(0, paidUntil - nanoTime(ctx));
    timer =
        ctx.executor()
            .schedule(
                () -> {
                  if (n == buf.readableBytes()) {
                    queue.poll();
                    ctx.fireChannelRead(buf);
                  } else {
                    ctx.fireChannelRead(buf.readRetainedSlice(n));
                  }
                  next(ctx);
                },
                wait,
                TimeUnit.NANOSECONDS);
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
