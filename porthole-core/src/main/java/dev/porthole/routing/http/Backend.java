package dev.porthole.routing.http;

import dev.porthole.routing.Balancer;
import dev.porthole.routing.Upstream;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
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

  /** The client of the request in flight; null while idle in the pool. */
  private Exchange client;

  private Balancer route;
  private boolean reused;
  private boolean inResponse;
  private boolean answered;
  private boolean upgrading;
  private boolean keepsConnection;
  private boolean raw;

  /** Reads the upstream on once a write to the client succeeded (one listener, not one a write). */
  private ChannelFutureListener readOn;

  /** Returns the handler of a new connection to {@code upstream}; {@link #attach} comes next. */
  Backend(UpstreamPool pool, Upstream upstream) {
    this.pool = pool;
    this.upstream = upstream;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    readOn =
        f -> {
          if (f.isSuccess()) {
            ctx.read();
          } else {
            ctx.close();
          }
        };
  }

  /** Hands this connection to the next request; {@code reused} when it comes from the pool. */
  void attach(Exchange c, Balancer r, boolean fromPool) {
    client = c;
    route = r;
    reused = fromPool;
    inResponse = answered = upgrading = keepsConnection = false;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (client == null) {
      ReferenceCountUtil.release(msg); // idle in the pool: nothing may arrive unasked
      ctx.close();
      return;
    }
    if (raw || msg instanceof ByteBuf) {
      toClient(msg);
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
      keepsConnection =
          r.status().code() >= 200 && HttpUtil.isKeepAlive(r) && ResponseHeaders.framed(r);
      if (!upgrading) {
        ResponseHeaders.prepare(r, client.keepAlive);
      }
    }
    if (msg instanceof LastHttpContent) {
      lastContent(ctx, msg);
      return;
    }
    if (msg instanceof HttpResponse || msg instanceof HttpContent) {
      toClient(msg);
    } else {
      ReferenceCountUtil.release(msg);
      ctx.read();
    }
  }

  /**
   * Ends the response: the upstream connection goes back to the pool at once when both sides allow
   * it (before the client's write completes, which may close an HTTP/2 stream and its exchange),
   * then the exchange hears the response is done.
   */
  private void lastContent(ChannelHandlerContext ctx, Object msg) {
    inResponse = false;
    boolean up = upgrading;
    Exchange c = client;
    boolean pooled =
        !up && keepsConnection && c.upstreamReusable() && pool.release(ctx.channel(), upstream);
    if (pooled) {
      c.link().released(null);
      client = null;
      route = null;
      ctx.read(); // idle, still reading: a close by the upstream takes it out of the pool
    }
    raw = up; // from the end of this write on, bytes flow both ways untouched
    c.writeAndFlush(msg).addListener(new ResponseEnd(ctx, c, pooled, up));
  }

  /** The upstream sent something that is not HTTP: a 502 before the response, a cut after. */
  private void notHttp(ChannelHandlerContext ctx) {
    if (answered) {
      client.close();
    } else {
      answered = true;
      client.diagnoseAndFail(upstream, "did not answer in HTTP");
    }
    ctx.close();
  }

  /** Writes a part of the response; the flush comes at the end of the read (or of the response). */
  private void toClient(Object msg) {
    client.write(msg).addListener(readOn);
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
    if (client == null) {
      pool.remove(ctx.channel(), upstream);
      return;
    }
    client.link().released(ctx.channel());
    if (!client.isActive()) {
      return; // the client went first and closed this: nothing to say of the upstream's health
    }
    if (raw) {
      client.close();
    } else if (!answered && reused && client.retryOnFreshConnection()) {
      LOG.debug(
          "router upstream {}: a kept connection closed; the request goes on a new one", upstream);
    } else if (!answered) {
      client.eventLoop().execute(() -> failBeforeAnswer("closed the connection before answering"));
    } else if (inResponse) {
      client.close(); // the body was cut: the client must see it, not a shorter body
    }
  }

  private void failBeforeAnswer(String what) {
    answered = true;
    if (!reused) {
      route.refused(upstream); // a kept connection closing says nothing of the upstream's health
    }
    client.diagnoseAndFail(upstream, what);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("router upstream {}: {}", upstream, cause.toString());
    ctx.close();
  }
}
