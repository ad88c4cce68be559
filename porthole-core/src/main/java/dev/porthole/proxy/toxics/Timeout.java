package dev.porthole.proxy.toxics;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Returns a toxic that discards all data of its link and, when {@code timeout} > 0, closes the
 * connection once {@code timeout} ms pass with no data arriving (an idle timer, as in Toxiproxy).
 * With 0 it drops data forever. Removing it closes the connection, because the stream lost bytes.
 */
public final class Timeout extends Toxic {
  /** Returns the "timeout" type: {"timeout": ms}. */
  public static final ToxicType TYPE =
      BasicToxicType.builder("timeout")
          .attr("timeout", 0L, 0, BasicToxicType.MAX_MS)
          .build(a -> new Timeout(BasicToxicType.longAttr(a, "timeout")));

  private final long timeoutMs;
  private Future<?> timer;

  /** Returns a timeout toxic; {@code timeoutMs} 0 never closes. */
  public Timeout(long timeoutMs) {
    this.timeoutMs = timeoutMs;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (isActive()) {
      arm(ctx);
    }
  }

  @Override
  protected void onChunk(ChannelHandlerContext ctx, ByteBuf buf) {
    drop(ctx, buf);
    arm(ctx);
  }

  private void arm(ChannelHandlerContext ctx) {
    if (timeoutMs <= 0) {
      return;
    }
    if (timer != null) {
      timer.cancel(false);
    }
    timer =
        ctx.executor()
            .schedule(
                () -> ctx.fireUserEventTriggered(LinkSignal.CLOSE),
                timeoutMs,
                TimeUnit.MILLISECONDS);
  }

  @Override
  protected void onRemoved(ChannelHandlerContext ctx) {
    if (timer != null) {
      timer.cancel(false);
    }
    // Data was dropped: the stream is corrupt, so the connection ends (Toxiproxy does the same).
    ctx.channel().close();
  }
}
