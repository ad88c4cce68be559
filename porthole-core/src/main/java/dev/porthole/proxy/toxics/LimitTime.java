package dev.porthole.proxy.toxics;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Returns porthole's toxic that closes a connection {@code time} ms after its link started (or
 * after the toxic was added to a live connection). Data passes untouched until then.
 */
public final class LimitTime extends Toxic {
  /** Returns the "limit_time" type: {"time": ms}. */
  public static final ToxicType TYPE =
      BasicToxicType.builder("limit_time")
          .attr("time", 0L, 0, BasicToxicType.MAX_MS)
          .build(a -> new LimitTime(BasicToxicType.longAttr(a, "time")));

  private final long timeMs;
  private Future<?> timer;

  /** Returns a limit_time toxic closing after {@code timeMs} ms (0: at once). */
  public LimitTime(long timeMs) {
    this.timeMs = timeMs;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (isActive()) {
      timer =
          ctx.executor()
              .schedule(
                  () -> ctx.fireUserEventTriggered(LinkSignal.CLOSE),
                  timeMs,
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
