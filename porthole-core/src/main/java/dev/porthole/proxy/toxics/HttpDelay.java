package dev.porthole.proxy.toxics;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.List;

/**
 * Returns a toxic on the downstream stream that holds each HTTP response whose request matches
 * {@code method} and {@code path} for {@code delay} ms from the arrival of its first byte (the
 * chunk with it waits); what follows waits behind it, in order. A stream that is not HTTP/1.x
 * passes at once.
 */
public final class HttpDelay extends DelayingToxic {
  /** Returns the "http_delay" type: {"delay": ms, "method", "path"}. */
  public static final ToxicType TYPE =
      BasicToxicType.builder("http_delay")
          .attr("delay", 0L, 0, BasicToxicType.MAX_MS)
          .httpFilter()
          .build(a -> new HttpDelay(BasicToxicType.longAttr(a, "delay"),
              HttpMatch.of(a)));

  private final long delayMs;
  private final HttpMatch match;
  private final HttpFraming framing = HttpFraming.responses();
  private boolean inResponse;

  /** Returns an http_delay toxic holding matching response heads {@code delayMs} ms. */
  HttpDelay(long delayMs, HttpMatch match) {
    this.delayMs = delayMs;
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
  protected long dueNanos(ByteBuf buf, long now) {
    if (framing.notHttp()) {
      return now;
    }
    // A response starts in this chunk if none was in progress, or after one ends inside it; its
    // request is the next one not yet answered.
    boolean hold = !inResponse && match.matches(framing.nextRequest());
    List<HttpFraming.Mark> marks = framing.feed(buf);
    inResponse = true;
    for (HttpFraming.Mark mark : marks) {
      hold |= !mark.isEnd() && match.matches(mark.request());
      inResponse = !mark.isEnd() || mark.offset() < buf.readableBytes();
    }
    if (inResponse && !marks.isEmpty() && marks.getLast().isEnd()) {
      hold |= match.matches(framing.nextRequest());
    }
    return hold && !framing.notHttp() ? now + millis(delayMs) : now;
  }
}
