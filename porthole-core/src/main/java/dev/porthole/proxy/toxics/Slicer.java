package dev.porthole.proxy.toxics;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.Future;
import java.util.ArrayDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Returns a toxic that splits each chunk into pieces of about {@code average_size} bytes (±{@code
 * size_variation}) and sends them with {@code delay} µs after each. Unlike Toxiproxy, an average
 * of 0 or a variation above the average is refused instead of crashing.
 */
public final class Slicer extends Toxic {
  /** Returns the "slicer" type: {"average_size": bytes, "size_variation": bytes, "delay": µs}. */
  public static final ToxicType TYPE =
      BasicToxicType.builder("slicer")
          .attr("average_size", 0L, 0, 1L << 30)
          .attr("size_variation", 0L, 0, 1L << 30)
          .attr("delay", 0L, 0, BasicToxicType.MAX_MS * 1000)
          .positive("average_size") // 0 makes Toxiproxy recurse until its stack overflows
          .notAbove("size_variation", "average_size") // above, Toxiproxy slices out of bounds
          .build(a -> new Slicer(
              (int) BasicToxicType.longAttr(a, "average_size"),
              (int) BasicToxicType.longAttr(a, "size_variation"),
              BasicToxicType.longAttr(a, "delay")));

  private final int averageSize;
  private final int sizeVariation;
  private final long delayMicros;
  private final ArrayDeque<ByteBuf> pieces = new ArrayDeque<>();
  private Future<?> timer;

  /** Returns a slicer; sizes in bytes, {@code delayMicros} after each piece. */
  public Slicer(int averageSize, int sizeVariation, long delayMicros) {
    this.averageSize = averageSize;
    this.sizeVariation = sizeVariation;
    this.delayMicros = delayMicros;
  }

  @Override
  protected void onChunk(ChannelHandlerContext ctx, ByteBuf buf) {
    split(buf, buf.readerIndex(), buf.writerIndex());
    buf.release();
    if (timer == null) {
      send(ctx);
    }
  }

  /** Splits [start, end) as Toxiproxy does, with the split point kept inside the segment. */
  private void split(ByteBuf buf, int start, int end) {
    if ((end - start) - averageSize <= sizeVariation) {
      pieces.add(buf.retainedSlice(start, end - start));
      return;
    }
    int mid = start + (end - start) / 2;
    if (sizeVariation > 0) {
      mid += ThreadLocalRandom.current().nextInt(sizeVariation * 2) - sizeVariation;
    }
    mid = Math.max(start + 1, Math.min(end - 1, mid));
    split(buf, start, mid);
    split(buf, mid, end);
  }

  private void send(ChannelHandlerContext ctx) {
    timer = null;
    while (!pieces.isEmpty()) {
      ctx.fireChannelRead(pieces.poll());
      if (delayMicros > 0) {
        timer = ctx.executor().schedule(() -> send(ctx), delayMicros, TimeUnit.MICROSECONDS);
        return;
      }
    }
    passDeferredEnd();
  }

  @Override
  protected void onEnd(ChannelHandlerContext ctx, Runnable pass) {
    if (pieces.isEmpty() && timer == null) {
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
    while (!pieces.isEmpty()) {
      ctx.fireChannelRead(pieces.poll());
    }
    passDeferredEnd();
  }
}
