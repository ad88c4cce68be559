package dev.porthole.proxy.toxics;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Returns a toxic that passes data on and delays the end of the stream by {@code delay} ms. */
public final class SlowClose extends Toxic {
  /** Returns the "slow_close" type: {"delay": ms}. */
  public static final ToxicType TYPE =
      BasicToxicType.builder("slow_close")
          .attr("delay", 0L, 0, BasicToxicType.MAX_MS)
          .build(a -> new SlowClose(BasicToxicType.longAttr(a, "delay")));

  private final long delayMs;
  private Future<?> timer;
  private Runnable pendingEnd;

  /** Returns a slow_close toxic waiting {@code delayMs} ms (0: none) before closing. */
  public SlowClose(long delayMs) {
    this.delayMs = delayMs;
  }

  @Override
  protected void onEnd(ChannelHandlerContext ctx, Runnable pass) {
    if (pendingEnd != null) {
      return;
    }
    pendingEnd = pass;
    timer = ctx.executor().schedule(this::fire, delayMs, TimeUnit.MILLISECONDS);
  }

  private void fire() {
    Runnable end = pendingEnd;
    timer = null;
    if (end != null) {
      pendingEnd = () -> {};
      end.run();
    }
  }

  @Override
  protected void onRemoved(ChannelHandlerContext ctx) {
    if (timer != null) {
      timer.cancel(false);
      fire();
    }
  }
}
