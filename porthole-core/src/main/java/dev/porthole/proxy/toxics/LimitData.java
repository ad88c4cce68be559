package dev.porthole.proxy.toxics;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * Returns a toxic that passes {@code bytes} bytes of its link, truncating the chunk that crosses
 * the limit, and then closes the connection. The count survives updates of the toxic.
 */
public final class LimitData extends Toxic {
  /** Returns the "limit_data" type: {"bytes": n}. */
  public static final ToxicType TYPE =
      BasicToxicType.builder("limit_data")
          .attr("bytes", 0L, 0, Long.MAX_VALUE / 2)
          .build(a -> new LimitData(BasicToxicType.longAttr(a, "bytes")));

  private final long limit;
  private long passed;
  private boolean closed;

  /** Returns a limit_data toxic closing after {@code limit} bytes (0: at the first chunk). */
  public LimitData(long limit) {
    this.limit = limit;
  }

  /** Returns the bytes passed so far on this link. */
  public long passed() {
    return passed;
  }

  @Override
  public void restartFrom(Toxic previous) {
    if (previous instanceof LimitData old) {
      passed = old.passed;
    }
  }

  @Override
  protected void onChunk(ChannelHandlerContext ctx, ByteBuf buf) {
    if (closed) {
      drop(ctx, buf);
      return;
    }
    long remaining = Math.max(0, limit - passed);
    int n = (int) Math.min(remaining, buf.readableBytes());
    if (n > 0) {
      passed += n;
      ctx.fireChannelRead(buf.readRetainedSlice(n));
    }
    if (buf.isReadable()) {
      drop(ctx, buf);
    } else {
      buf.release();
    }
    if (limit - passed <= 0) {
      closed = true;
      ctx.fireUserEventTriggered(LinkSignal.CLOSE);
    }
  }
}
