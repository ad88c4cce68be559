package dev.porthole.routing.http;

import dev.porthole.routing.Balancer;
import dev.porthole.routing.Upstream;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Returns the upstream side of one routed connection: streams the response to the client, reading
 * on only after each write succeeded; after a {@code 101 Switching Protocols} both sides drop their
 * HTTP codecs and bytes flow untouched (WebSocket).
 */
final class Backend extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(Backend.class);

  private final ChannelHandlerContext client;
  private final HttpFrontend frontend;
  private final Balancer route;
  private final Upstream upstream;
  private boolean inResponse;
  private boolean answered;
  private boolean upgrading;
  private boolean raw;

  Backend(ChannelHandlerContext client, HttpFrontend frontend, Balancer route, Upstream upstream) {
    this.client = client;
    this.frontend = frontend;
    this.route = route;
    this.upstream = upstream;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (raw || msg instanceof ByteBuf) {
      toClient(ctx, msg);
      return;
    }
    if (msg instanceof HttpObject o && o.decoderResult().isFailure()) {
      ReferenceCountUtil.release(msg);
      notHttp(ctx);
      return;
    }
    if (msg instanceof HttpResponse r) {
      inResponse = true;
      answered = true;
      upgrading = r.status().equals(HttpResponseStatus.SWITCHING_PROTOCOLS);
      if (!upgrading) {
        prepare(r);
      }
    }
    if (msg instanceof LastHttpContent) {
      inResponse = false;
      boolean up = upgrading;
      client
          .writeAndFlush(msg)
          .addListener(
              f -> {
                if (!f.isSuccess()) {
                  ctx.close();
                } else if (up) {
                  switchToTunnel(ctx);
                } else {
                  frontend.responseDone();
                  ctx.read();
                }
              });
      return;
    }
    if (msg instanceof HttpResponse || msg instanceof HttpContent) {
      toClient(ctx, msg);
    } else {
      ReferenceCountUtil.release(msg);
      ctx.read();
    }
  }

  /** Drops the upstream's connection management: the client's connection is ours to manage. */
  private void prepare(HttpResponse r) {
    r.headers().remove(HttpHeaderNames.CONNECTION).remove("keep-alive");
    if (!frontend.keepAlive) {
      r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    boolean framed = HttpUtil.isContentLengthSet(r) || HttpUtil.isTransferEncodingChunked(r);
    if (!framed
        && r.status().code() >= 200
        && r.status().code() != 204
        && r.status().code() != 304) {
      // The upstream ends the body by closing; the client's connection stays, so chunk it.
      HttpUtil.setTransferEncodingChunked(r, true);
    }
  }

  /** The upstream sent something that is not HTTP: a 502 before the response, a cut after. */
  private void notHttp(ChannelHandlerContext ctx) {
    if (answered) {
      client.close();
    } else {
      answered = true;
      frontend.diagnoseAndFail(upstream, "did not answer in HTTP");
    }
    ctx.close();
  }

  private void switchToTunnel(ChannelHandlerContext ctx) {
    raw = true;
    if (client.pipeline().get("http") != null) {
      client.pipeline().remove("http");
    }
    frontend.tunnel();
    ctx.pipeline().remove("http");
    ctx.read();
  }

  private void toClient(ChannelHandlerContext ctx, Object msg) {
    client
        .writeAndFlush(msg)
        .addListener(
            f -> {
              if (f.isSuccess()) {
                ctx.read();
              } else {
                ctx.close();
              }
            });
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    frontend.backendClosed(ctx.channel());
    if (!answered && !raw) {
      client.executor().execute(() -> failBeforeAnswer("closed the connection before answering"));
    } else if (inResponse) {
      client.close(); // the body was cut: the client must see it, not a shorter body
    }
  }

  private void failBeforeAnswer(String what) {
    answered = true;
    route.refused(upstream);
    frontend.diagnoseAndFail(upstream, what);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("router upstream {}: {}", upstream, cause.toString());
    ctx.close();
  }
}
