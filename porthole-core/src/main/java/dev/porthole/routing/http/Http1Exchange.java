package dev.porthole.routing.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;

/**
 * The exchanges of one HTTP/1.1 client connection, one request after the other: the response goes
 * through the connection's {@code HttpServerCodec}, and the next read of the connection happens
 * only after a write succeeded (AUTO_READ is off).
 */
final class Http1Exchange extends Exchange {

  Http1Exchange(RouterContext router, ChannelHandlerContext ctx, String proto) {
    super(router, ctx, new ForwardedHeaders(RequestFacts.client(ctx.channel()), proto));
  }

  @Override
  boolean keepsAlive(HttpRequest req) {
    return HttpUtil.isKeepAlive(req);
  }

  @Override
  ChannelFuture write(Object msg) {
    return ctx.write(msg);
  }

  @Override
  ChannelFuture writeAndFlush(Object msg) {
    return ctx.writeAndFlush(msg);
  }

  @Override
  void flush() {
    ctx.flush();
  }

  @Override
  void read() {
    ctx.read();
  }

  @Override
  void close() {
    ctx.close();
  }

  @Override
  boolean isActive() {
    return ctx.channel().isActive();
  }

  @Override
  void tunnel() {
    ctx.pipeline().remove("http");
    raw = true;
    ctx.read();
  }

  @Override
  void responseDone() {
    if (!keepAlive) {
      ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.read();
    }
  }

  @Override
  void answer(FullHttpResponse r) {
    if (!keepAlive) {
      r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    ctx.writeAndFlush(r)
        .addListener(
            f -> {
              if (!keepAlive) {
                ctx.close();
              } else {
                ctx.read();
              }
            });
  }
}
