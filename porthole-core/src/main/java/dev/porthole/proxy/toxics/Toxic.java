package dev.porthole.proxy.toxics;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.util.concurrent.TimeUnit;

/**
 * Returns the base of every toxic: a handler that sits in the pipeline of a link's source channel,
 * between the socket and the relay that writes to the other side.
 *
 * <p>Subclasses see each chunk ({@link #onChunk}), the end of the stream ({@link #onEnd}: EOF or
 * the source closing) and their own removal ({@link #onRemoved}, where buffered data must be
 * passed on). A toxic whose toxicity roll failed is inactive and passes everything on untouched.
 * Time comes from the executor's ticker, so tests run on a virtual clock.
 *
 * <pre>
 * source socket → [toxic] → [toxic] → relay → destination socket
 * </pre>
 */
public abstract class Toxic extends ChannelDuplexHandler {
  private boolean active = true;
  private Runnable deferredEnd;

  /** Sets whether this link rolled under the toxicity; returns this. */
  public final Toxic active(boolean active) {
    this.active = active;
    return this;
  }

  /** Returns whether the toxic acts on this link. */
  public final boolean isActive() {
    return active;
  }

  /** Returns how many bytes the link may read ahead while this toxic holds data (0: none). */
  public int readAhead() {
    return 0;
  }

  /** Takes over state that must survive an update (limit_data's count); default none. */
  public void restartFrom(Toxic previous) {}

  @Override
  public final void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (active && msg instanceof ByteBuf buf) {
      onChunk(ctx, buf);
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  @Override
  public final void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (active && evt == ChannelInputShutdownEvent.INSTANCE) {
      onEnd(ctx, () -> ctx.fireUserEventTriggered(evt));
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public final void channelInactive(ChannelHandlerContext ctx) {
    if (active) {
      onEnd(ctx, ctx::fireChannelInactive);
    } else {
      ctx.fireChannelInactive();
    }
  }

  @Override
  public final void handlerRemoved(ChannelHandlerContext ctx) {
    if (active) {
      onRemoved(ctx);
    }
  }

  /** Handles one chunk; the default passes it on. The toxic owns {@code buf}. */
  protected void onChunk(ChannelHandlerContext ctx, ByteBuf buf) {
    ctx.fireChannelRead(buf);
  }

  /** Handles the end of the source stream; {@code pass} sends it on. Default: at once. */
  protected void onEnd(ChannelHandlerContext ctx, Runnable pass) {
    pass.run();
  }

  /** Passes on what the toxic holds and cancels its timers; the default holds nothing. */
  protected void onRemoved(ChannelHandlerContext ctx) {}

  /** Keeps the end of the stream until {@link #passDeferredEnd} (data is still held). */
  protected final void deferEnd(Runnable pass) {
    if (deferredEnd == null) {
      deferredEnd = pass;
    }
  }

  /** Passes on the end of the stream kept by {@link #deferEnd}, if any. */
  protected final void passDeferredEnd() {
    Runnable end = deferredEnd;
    deferredEnd = null;
    if (end != null) {
      end.run();
    }
  }

  /** Discards a chunk and tells the relay, so the link's read budget is given back. */
  protected static void drop(ChannelHandlerContext ctx, ByteBuf buf) {
    int n = buf.readableBytes();
    buf.release();
    ctx.fireUserEventTriggered(new LinkSignal.Dropped(n));
  }

  /** Returns the executor's clock in nanoseconds (virtual in EmbeddedChannel tests). */
  protected static long nanoTime(ChannelHandlerContext ctx) {
    return ctx.executor().ticker().nanoTime();
  }

  /** Returns milliseconds as nanoseconds. */
  protected static long millis(long ms) {
    return TimeUnit.MILLISECONDS.toNanos(ms);
  }
}
