package dev.porthole.proxy.toxics;

import dev.porthole.proxy.timing.PreciseDeadlines;
import dev.porthole.proxy.timing.TimingTrace;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Returns the base of toxics that hold each chunk until a due time and keep order: a chunk never
 * overtakes the one before it. Subclasses say when each chunk is due. The end of the stream waits
 * behind the held chunks; removal sends everything at once.
 */
public abstract class DelayingToxic extends Toxic {
  private record Held(ByteBuf buf, long dueNanos) {}

  private final ArrayDeque<Held> queue = new ArrayDeque<>();
  private Future<?> timer;
  private Runnable pendingEnd;

  /** Returns the ticker time at which {@code buf}, arriving at {@code now}, may be sent. */
  protected abstract long dueNanos(ByteBuf buf, long now);

  @Override
  protected final void onChunk(ChannelHandlerContext ctx, ByteBuf buf) {
    long now = nanoTime(ctx);
    long due = dueNanos(buf, now);
    if (TimingTrace.ON && ctx.channel().remoteAddress() instanceof InetSocketAddress from) {
      TimingTrace.held(now, due, from.getPort());
    }
    if (due <= now && queue.isEmpty()) {
      ctx.fireChannelRead(buf);
      return;
    }
    queue.add(new Held(buf, due));
    if (timer == null) {
      release(ctx);
    }
  }

  private void release(ChannelHandlerContext ctx) {
    timer = null;
    long now = nanoTime(ctx);
    while (!queue.isEmpty() && queue.peek().dueNanos() <= now) {
      Held held = queue.poll();
      ctx.fireChannelRead(held.buf());
      if (TimingTrace.ON) {
        TimingTrace.sent(held.dueNanos(), now, nanoTime(ctx));
      }
    }
    if (!queue.isEmpty()) {
      long wait = queue.peek().dueNanos() - now;
      timer = ctx.executor().schedule(() -> release(ctx), wait, TimeUnit.NANOSECONDS);
      // The loop wakes early for it and polls through it: on time, not one wake-up late.
      PreciseDeadlines.request(queue.peek().dueNanos());
    } else if (pendingEnd != null) {
      Runnable end = pendingEnd;
      pendingEnd = null;
      end.run();
    }
  }

  @Override
  protected final void onEnd(ChannelHandlerContext ctx, Runnable pass) {
    if (queue.isEmpty()) {
      pass.run();
    } else if (pendingEnd == null) {
      pendingEnd = pass;
    }
  }

  /** Sends everything held at once; subclasses that override it must call it first. */
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
}
