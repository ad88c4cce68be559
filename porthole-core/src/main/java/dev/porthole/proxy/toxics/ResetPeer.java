package dev.porthole.proxy.toxics;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Returns a toxic that, when the first chunk or the end of the stream reaches it, waits {@code
 * timeout} ms and then resets the connection (RST on both sockets). Data is dropped. Unlike
 * Toxiproxy, a link whose toxicity roll failed never resets, and removing the toxic cancels a
 * pending reset.
 */
public final class ResetPeer extends Toxic {
  /** Returns the "reset_peer" type: {"timeout": ms}. */
  public static final ToxicType TYPE =
      BasicToxicType.builder("reset_peer")
          .attr("timeout", 0L, 0, BasicToxicType.MAX_MS)
          .build(a -> new ResetPeer(BasicToxicType.longAttr(a, "timeout")));

  private final long timeoutMs;
  private Future<?> timer;

  /** Returns a reset_peer toxic resetting {@code timeoutMs} ms after the first data. */
  public ResetPeer(long timeoutMs) {
    this.timeoutMs = timeoutMs;
  }

  @Override
  protected void onChunk(ChannelHandlerContext ctx, ByteBuf buf) {
    drop(ctx, buf);
    arm(ctx);
  }

  @Override
  protected void onEnd(ChannelHandlerContext ctx, Runnable pass) {
    arm(ctx);
  }

  private void arm(ChannelHandlerContext ctx) {
    if (timer == null) {
      timer =
          ctx.executor()
              .schedule(
                  () -> ctx.fireUserEventTriggered(LinkSignal.RESET),
                  timeoutMs,
                  TimeUnit.MILLISECONDS);
    }
  }

  @Override
  protected void onRemoved(ChannelHandlerContext ctx) {
    if (timer != null) {
      timer.cancel(false);
    }
  }
}
