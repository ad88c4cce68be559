package dev.porthole.routing.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.ReferenceCountUtil;

/**
 * One HTTP/2 stream of a client connection, served without a channel of its own: the response is
 * written as HEADERS and DATA frames through the connection's encoder, whose flow controller sends
 * each DATA frame as the stream's window allows and completes its write only then (the upstream is
 * read on after that: backpressure). The request body's bytes are given back to the client's window
 * only once they were written to the upstream.
 */
final class Http2Exchange extends Exchange {
  private final Http2ConnectionEncoder encoder;
  private final Http2Stream stream;

  /** Bytes of request body passed on but not yet returned to the client's flow-control window. */
  private int unconsumed;

  Http2Exchange(
      RouterContext router,
      ChannelHandlerContext ctx,
      Http2ConnectionEncoder encoder,
      Http2Stream stream,
      ForwardedHeaders forwarded) {
    super(router, ctx, forwarded);
    this.encoder = encoder;
    this.stream = stream;
  }

  /** Notes {@code bytes} of request body received, to be given back by {@link #read}. */
  void received(int bytes) {
    unconsumed += bytes;
  }

  /** An HTTP/2 connection has no {@code Connection: close}: it stays until GOAWAY or its end. */
  @Override
  boolean keepsAlive(HttpRequest req) {
    return true;
  }

  @Override
  ChannelFuture write(Object msg) {
    ChannelPromise done = ctx.newPromise();
    int id = stream.id();
    if (msg instanceof HttpResponse r) {
      if (msg instanceof FullHttpResponse full) {
        ByteBuf body = full.content();
        boolean bodiless = !body.isReadable();
        encoder.writeHeaders(
            ctx, id, StreamHeaders.toHttp2(r), 0, bodiless, bodiless ? done : ctx.newPromise());
        if (bodiless) {
          body.release();
        } else {
          encoder.writeData(ctx, id, body, 0, true, done);
        }
      } else {
        encoder.writeHeaders(ctx, id, StreamHeaders.toHttp2(r), 0, false, done);
      }
    } else if (msg instanceof LastHttpContent last && !last.trailingHeaders().isEmpty()) {
      encoder.writeData(ctx, id, last.content(), 0, false, ctx.newPromise());
      encoder.writeHeaders(ctx, id, StreamHeaders.trailers(last.trailingHeaders()), 0, true, done);
    } else if (msg instanceof HttpContent part) {
      encoder.writeData(ctx, id, part.content(), 0, msg instanceof LastHttpContent, done);
    } else if (msg instanceof ByteBuf bytes) {
      encoder.writeData(ctx, id, bytes, 0, false, done);
    } else {
      ReferenceCountUtil.release(msg);
      done.setSuccess();
    }
    return done;
  }

  @Override
  ChannelFuture writeAndFlush(Object msg) {
    ChannelFuture f = write(msg);
    flush();
    return f;
  }

  /**
   * Flushes through the whole pipeline: the connection handler's flush is what hands the flow
   * controller's queued frames to the TLS layer ({@code ctx.flush()} would skip it).
   */
  @Override
  void flush() {
    ctx.channel().flush();
  }

  @Override
  void read() {
    if (unconsumed == 0 || stream.state() == Http2Stream.State.CLOSED) {
      return;
    }
    int bytes = unconsumed;
    unconsumed = 0;
    try {
      if (encoder.connection().local().flowController().consumeBytes(stream, bytes)) {
        flush(); // a WINDOW_UPDATE went out
      }
    } catch (Http2Exception e) {
      close();
    }
  }

  @Override
  void close() {
    if (stream.state() != Http2Stream.State.CLOSED) {
      encoder.writeRstStream(ctx, stream.id(), Http2Error.CANCEL.code(), ctx.newPromise());
      flush();
    }
  }

  @Override
  boolean isActive() {
    return ctx.channel().isActive() && stream.state() != Http2Stream.State.CLOSED;
  }

  /** HTTP/2 has no protocol switch on a stream (RFC 9113 §8.6): a {@code 101} cannot be carried. */
  @Override
  void tunnel() {
    close();
  }

  @Override
  void responseDone() {
    // The stream ended with the response; other streams read on by themselves.
  }

  @Override
  void answer(FullHttpResponse r) {
    writeAndFlush(r);
  }

  /** Called when the stream closed (ended both ways, reset, or the connection went). */
  void closed() {
    link().close();
  }
}
