package dev.porthole.proxy.toxics;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Returns a toxic on the downstream stream that cuts each HTTP response whose request matches
 * {@code method} and {@code path} after {@code after_bytes} bytes of its body (counted as sent,
 * chunk framing included) and resets the connection: the client gets an RST mid-response. A
 * response no longer than that passes whole. A stream that is not HTTP/1.x passes untouched.
 */
public final class HttpAbort extends Toxic {
  /** Returns the "http_abort" type: {"after_bytes", "method", "path"}. */
  public static final ToxicType TYPE =
      BasicToxicType.builder("http_abort")
          .attr("after_bytes", 0L, 0, Long.MAX_VALUE)
          .httpFilter()
          .build(a -> new HttpAbort(BasicToxicType.longAttr(a, "after_bytes"),
              HttpMatch.of(a)));

  private final long afterBytes;
  private final HttpMatch match;
  private final HttpFraming framing = HttpFraming.responses();
  private long left = -1; // body bytes the current matching response may still send; -1: none
  private boolean cut;

  /** Returns an http_abort toxic cutting matching responses after {@code afterBytes} of body. */
  HttpAbort(long afterBytes, HttpMatch match) {
    this.afterBytes = afterBytes;
    this.match = match;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    // This link's source is the server's channel: what is written to it are the requests.
    if (isActive()) {
      framing.sent(msg);
    }
    ctx.write(msg, promise);
  }

  @Override
  protected void onChunk(ChannelHandlerContext ctx, ByteBuf buf) {
    if (cut) {
      drop(ctx, buf);
      return;
    }
    if (framing.notHttp()) {
      ctx.fireChannelRead(buf);
      return;
    }
    int at = 0;
    for (HttpFraming.Mark mark : framing.feed(buf)) {
      if (left >= 0 && left < mark.offset() - at) {
        cutAt(ctx, buf, at + (int) left);
        return;
      }
      left = left >= 0 ? left - (mark.offset() - at) : -1;
      at = mark.offset();
      if (mark.isEnd()) {
        left = -1;
      } else if (match.matches(mark.request())) {
        left = afterBytes;
      }
    }
    if (left >= 0 && left < buf.readableBytes() - at) {
      cutAt(ctx, buf, at + (int) left);
      return;
    }
    left = left >= 0 ? left - (buf.readableBytes() - at) : -1;
    ctx.fireChannelRead(buf);
  }

  /** Passes the first {@code keep} bytes, drops the rest and resets the connection. */
  private void cutAt(ChannelHandlerContext ctx, ByteBuf buf, int keep) {
    cut = true;
    if (keep > 0) {
      ctx.fireChannelRead(buf.readRetainedSlice(keep));
    }
    drop(ctx, buf);
    ctx.fireUserEventTriggered(LinkSignal.RESET);
  }
}
