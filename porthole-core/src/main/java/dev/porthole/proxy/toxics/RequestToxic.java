package dev.porthole.proxy.toxics;

import dev.porthole.http1.HttpHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * Returns the base of the upstream HTTP toxics (http_error, http_drop), which act on whole
 * requests: the bytes of a request are held until its head is complete, then the request is
 * either passed on unchanged or, for a matching {@code rate} of requests, discarded up to its last
 * byte while the subclass answers or closes. A stream that is not HTTP/1.x passes untouched.
 */
abstract class RequestToxic extends Toxic {
  private enum Mode { HOLD, PASS, DISCARD }

  private final HttpMatch match;
  private final double rate;
  private final DoubleSupplier random;
  private HttpFraming framing;
  // The bytes of a request whose head is not complete yet; null while nothing is held, so an idle
  // connection between requests owns no buffer and none outlives a decision.
  private CompositeByteBuf held;
  private Mode mode = Mode.HOLD;
  private HttpHead current;
  private boolean inert;

  RequestToxic(HttpMatch match, double rate, DoubleSupplier random) {
    this.match = match;
    this.rate = rate;
    this.random = random;
  }

  /** Acts on a discarded request once its head is read; the default does nothing yet. */
  void onFaultHead(ChannelHandlerContext ctx, HttpHead request) {}

  /** Acts on a discarded request once its last byte is read; the default does nothing. */
  void onFaultEnd(ChannelHandlerContext ctx, HttpHead request) {}

  @Override
  protected final void onChunk(ChannelHandlerContext ctx, ByteBuf buf) {
    if (inert) {
      ctx.fireChannelRead(buf);
      return;
    }
    if (framing == null) {
      framing = HttpFraming.requests();
    }
    List<HttpFraming.Mark> marks = framing.feed(buf);
    if (framing.notHttp()) {
      onRemoved(ctx);
      ctx.fireChannelRead(buf);
      return;
    }
    int at = 0;
    for (HttpFraming.Mark mark : marks) {
      route(ctx, buf, at, mark.offset());
      at = mark.offset();
      if (mark.isEnd()) {
        Mode was = mode;
        mode = Mode.HOLD;
        if (was == Mode.DISCARD) {
          onFaultEnd(ctx, current);
        }
      } else {
        decide(ctx, mark.head());
      }
    }
    route(ctx, buf, at, buf.readableBytes());
    buf.release();
  }

  private void decide(ChannelHandlerContext ctx, HttpHead head) {
    current = head;
    if (match.matches(head) && random.getAsDouble() < rate) {
      mode = Mode.DISCARD;
      if (held != null) {
        drop(ctx, held);
        held = null;
      }
      onFaultHead(ctx, head);
    } else {
      mode = Mode.PASS;
      passHeld(ctx);
    }
  }

  private void route(ChannelHandlerContext ctx, ByteBuf buf, int from, int to) {
    if (to <= from) {
      return;
    }
    ByteBuf part = buf.retainedSlice(buf.readerIndex() + from, to - from);
    switch (mode) {
      case HOLD -> {
        if (held == null) {
          held = ctx.alloc().compositeBuffer();
        }
        held.addComponent(true, part);
      }
      case PASS -> ctx.fireChannelRead(part);
      case DISCARD -> drop(ctx, part);
    }
  }

  private void passHeld(ChannelHandlerContext ctx) {
    if (held != null) {
      CompositeByteBuf bytes = held;
      held = null;
      ctx.fireChannelRead(bytes);
    }
  }

  @Override
  protected final void onEnd(ChannelHandlerContext ctx, Runnable pass) {
    onRemoved(ctx);
    pass.run();
  }

  @Override
  protected final void onRemoved(ChannelHandlerContext ctx) {
    passHeld(ctx);
    framing = null;
    inert = true;
  }
}
