package dev.porthole.routing.http;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import dev.porthole.routing.Balancer;
import dev.porthole.routing.Upstream;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
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
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upstream side of one routed request: streams the response to the client, reading on only
 * after each write succeeded; after a {@code 101 Switching Protocols} both sides drop their HTTP
 * codecs and bytes flow untouched (WebSocket). When a response ends cleanly and the upstream keeps
 * the connection, it goes back to the {@link UpstreamPool} and waits (still reading, so a close by
 * the upstream is seen) to be attached to the next request.
 */
final class Backend extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(Backend.class);

  private final UpstreamPool pool;
  private final Upstream upstream;
  private ChannelHandlerContext client;
  private HttpFrontend frontend;
  private Balancer route;
  private ScheduledFuture<?> idleTimer;
  private Channel channel;
  private boolean reused;
  private boolean inResponse;
  private boolean answered;
  private boolean upgrading;
  private boolean keepsConnection;
  private boolean raw;

  Backend(
      UpstreamPool pool,
      ChannelHandlerContext client,
      HttpFrontend frontend,
      Balancer route,
      Upstream upstream) {
    this.pool = pool;
    this.upstream = upstream;
    attach(client, frontend, route, false);
  }

  /** Hands this connection to the next request; {@code reused} when it comes from the pool. */
  void attach(ChannelHandlerContext c, HttpFrontend f, Balancer r, boolean fromPool) {
    client = c;
    frontend = f;
    route = r;
    reused = fromPool;
    inResponse = answered = upgrading = keepsConnection = false;
    if (idleTimer != null) {
      idleTimer.cancel(false);
      idleTimer = null;
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (frontend == null) {
      ReferenceCountUtil.release(msg); // idle in the pool: nothing may arrive unasked
      ctx.close();
      return;
    }
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
      keepsConnection = r.status().code() >= 200 && HttpUtil.isKeepAlive(r) && framed(r);
      if (!upgrading) {
        prepare(r);
      }
    }
    if (msg instanceof LastHttpContent) {
      lastContent(ctx, msg);
      return;
    }
    if (msg instanceof HttpResponse || msg instanceof HttpContent) {
      toClient(ctx, msg);
    } else {
      ReferenceCountUtil.release(msg);
      ctx.read();
    }
  }

  /**
   * Ends the response: the upstream connection goes back to the pool at once when both sides allow
   * it (before the client's write completes, which may close an HTTP/2 stream and its frontend),
   * then the frontend hears the response is done.
   */
  private void lastContent(ChannelHandlerContext ctx, Object msg) {
    inResponse = false;
    boolean up = upgrading;
    HttpFrontend f = frontend;
    ChannelHandlerContext c = client;
    boolean pooled =
        !up && keepsConnection && f.upstreamReusable() && pool.release(ctx.channel(), upstream);
    if (pooled) {
      f.upstreamReleased();
      client = null;
      frontend = null;
      route = null;
      idleTimer =
          ctx.executor().schedule(this::idleTimeout, UpstreamPool.IDLE_MILLIS, MILLISECONDS);
      ctx.read(); // idle, still reading: a close by the upstream takes it out of the pool
    }
    c.writeAndFlush(msg)
        .addListener(
            done -> {
              if (!done.isSuccess()) {
                c.close();
                if (!pooled) {
                  ctx.close();
                }
              } else if (up) {
                switchToTunnel(ctx);
              } else {
                f.responseDone();
                if (!pooled) {
                  ctx.read();
                }
              }
            });
  }

  private void idleTimeout() {
    if (frontend == null && channel != null) {
      channel.close();
    }
  }

  /** Returns whether the body's end is known without the upstream closing. */
  private static boolean framed(HttpResponse r) {
    int code = r.status().code();
    return HttpUtil.isContentLengthSet(r)
        || HttpUtil.isTransferEncodingChunked(r)
        || code == 204
        || code == 304;
  }

  /** Drops the upstream's connection management: the client's connection is ours to manage. */
  private void prepare(HttpResponse r) {
    r.headers().remove(HttpHeaderNames.CONNECTION).remove("keep-alive");
    if (!frontend.keepAlive) {
      r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    if (!framed(r) && r.status().code() >= 200) {
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

  /** Writes a part of the response; the flush comes at the end of the read (or of the response). */
  private void toClient(ChannelHandlerContext ctx, Object msg) {
    client
        .write(msg)
        .addListener(
            f -> {
              if (f.isSuccess()) {
                ctx.read();
              } else {
                ctx.close();
              }
            });
  }

  /**
   * Flushes what this read wrote to the client: a small response's head, body and end leave in one
   * flush (one TLS record, one syscall) instead of three.
   */
  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (client != null) {
      client.flush();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (frontend == null) {
      pool.remove(ctx.channel(), upstream);
      if (idleTimer != null) {
        idleTimer.cancel(false);
      }
      return;
    }
    frontend.backendClosed(ctx.channel());
    if (!answered && !raw && reused && frontend.retryOnFreshConnection()) {
      LOG.debug(
          "router upstream {}: a kept connection closed; the request goes on a new one", upstream);
    } else if (!answered && !raw) {
      client.executor().execute(() -> failBeforeAnswer("closed the connection before answering"));
    } else if (inResponse) {
      client.close(); // the body was cut: the client must see it, not a shorter body
    }
  }

  private void failBeforeAnswer(String what) {
    answered = true;
    if (!reused) {
      route.refused(upstream); // a kept connection closing says nothing of the upstream's health
    }
    frontend.diagnoseAndFail(upstream, what);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("router upstream {}: {}", upstream, cause.toString());
    ctx.close();
  }
}
