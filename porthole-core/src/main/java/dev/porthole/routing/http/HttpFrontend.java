package dev.porthole.routing.http;

import dev.porthole.checks.Diagnosis;
import dev.porthole.routing.Balancer;
import dev.porthole.routing.Upstream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of one routed connection (or one HTTP/2 stream): picks the route by {@code Host},
 * takes an idle upstream connection from the {@link UpstreamPool} or opens one through {@link
 * UpstreamConnector}, and streams the request to it. AUTO_READ is off: the next read happens only
 * after a write succeeded, so a slow upstream slows the client instead of filling memory.
 */
final class HttpFrontend extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(HttpFrontend.class);

  private final RouterContext router;
  private final String proto;
  private final WaitingRequest pending = new WaitingRequest();
  private ChannelHandlerContext ctx;
  private Channel backend;
  private Balancer backendRoute;
  private boolean connecting;
  private boolean discarding;
  private boolean raw;
  private boolean requestEnded;
  private boolean upstreamKeepAlive;
  boolean keepAlive = true;
  boolean json;

  HttpFrontend(RouterContext router, String proto) {
    this.router = router;
    this.proto = proto;
  }

  @Override
  public void channelActive(ChannelHandlerContext c) {
    this.ctx = c;
    c.read();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext c) {
    this.ctx = c;
    if (c.channel().isActive()) {
      c.read(); // added after the TLS handshake: channelActive has been and gone
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext c, Object msg) {
    if (raw && msg instanceof ByteBuf) {
      toBackend(msg, true);
    } else if (msg instanceof HttpRequest req) {
      request(req);
    } else if (msg instanceof HttpContent content) {
      content(content);
    } else {
      ReferenceCountUtil.release(msg);
      c.read();
    }
  }

  private void request(HttpRequest req) {
    if (req.decoderResult().isFailure()) {
      ReferenceCountUtil.release(req);
      ctx.writeAndFlush(ErrorPages.badRequest(ctx.alloc(), req.decoderResult().cause()))
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    keepAlive = HttpUtil.isKeepAlive(req);
    boolean last = req instanceof LastHttpContent;
    requestEnded = last;
    RequestFacts facts = RequestFacts.of(req, ctx.channel());
    json = facts.json();
    Balancer route = router.routes().find(facts.host());
    if (route == null) {
      discarding = !last;
      ReferenceCountUtil.release(req);
      answer(ErrorPages.noRoute(ctx.alloc(), facts.host(), router.routes().list(), json));
      return;
    }
    ForwardedHeaders.apply(req.headers(), facts.client(), proto, facts.upgrade());
    upstreamKeepAlive = HttpUtil.isKeepAlive(req) && !facts.upgrade();
    pending.started(req);
    if (backend != null) {
      backend.close(); // the last response left it unusable (cut short, or not kept alive)
      backend = null;
    }
    backendRoute = route;
    List<Upstream> order = route.order();
    Channel idle = router.pool().acquire(ctx.channel().eventLoop(), order.getFirst());
    if (idle != null) {
      backend = idle;
      ((Backend) idle.pipeline().get("backend")).attach(ctx, this, route, true);
      toBackend(req, last);
    } else {
      open(route, order, req, last);
    }
  }

  /** Opens the upstream connection for {@code route}; what arrives meanwhile waits in order. */
  private void open(Balancer route, List<Upstream> order, HttpRequest req, boolean last) {
    connecting = true;
    pending.add(req);
    if (!last) {
      ctx.read();
    }
    new UpstreamConnector(router, ctx, this).connect(route, order);
  }

  /**
   * Called by a kept connection that closed before answering (the upstream timed it out as the
   * request went): sends a bodiless request again on a new connection; false when it had a body.
   */
  boolean retryOnFreshConnection() {
    if (backend != null || !ctx.channel().isActive() || !pending.requeueForResend(requestEnded)) {
      return false;
    }
    connecting = true;
    new UpstreamConnector(router, ctx, this).connect(backendRoute, backendRoute.order());
    return true;
  }

  /** Returns whether the upstream connection may serve another request after this response. */
  boolean upstreamReusable() {
    return upstreamKeepAlive && requestEnded && !raw;
  }

  private void content(HttpContent content) {
    boolean last = content instanceof LastHttpContent;
    requestEnded |= last;
    pending.bodyPart(content);
    if (discarding) {
      content.release();
      discarding = !last;
      if (!last) {
        ctx.read();
      }
    } else if (connecting) {
      pending.add(content);
      if (!last) {
        ctx.read();
      }
    } else if (backend != null) {
      toBackend(content, last);
    } else {
      content.release();
    }
  }

  /** Writes {@code msg} to the upstream; reads on unless the request just ended. */
  private void toBackend(Object msg, boolean endsRequest) {
    // The end of a request flushes at once; parts of a streamed body wait for the read's end.
    (endsRequest ? backend.writeAndFlush(msg) : backend.write(msg))
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                ctx.close();
              } else if (!endsRequest || raw) {
                ctx.read();
              }
            });
  }

  /** Called by the connector once the upstream accepted: sends what arrived meanwhile. */
  void connected(Channel ch) {
    connecting = false;
    backend = ch;
    if (!ctx.channel().isActive()) {
      ch.close();
      pending.release();
      return;
    }
    pending.writeTo(ch);
    ch.read();
  }

  /** Called when no upstream answered: diagnoses it off the loop, then answers 502. */
  void diagnoseAndFail(Upstream upstream, String what) {
    router
        .diagnosis()
        .diagnose(upstream, what)
        .thenAccept(d -> ctx.executor().execute(() -> failed(upstream, d)));
  }

  private void failed(Upstream upstream, Diagnosis d) {
    connecting = false;
    pending.release();
    discarding = !requestEnded;
    answer(ErrorPages.badGateway(ctx.alloc(), backendRoute.route(), upstream.toString(), d, json));
  }

  /** Called by the backend when its connection went back to the pool: it is not ours now. */
  void upstreamReleased() {
    backend = null;
  }

  /** Called by the backend when the response ended: the next request may come. */
  void responseDone() {
    if (!keepAlive) {
      ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.read();
    }
  }

  /** Called by the backend after a 101: from now on bytes flow both ways untouched. */
  void tunnel() {
    raw = true;
    ctx.read();
  }

  /** Called by the backend when the upstream closed before its response ended. */
  void backendClosed(Channel ch) {
    if (ch == backend) {
      backend = null;
      backendRoute = raw ? null : backendRoute;
    }
    if (raw) {
      ctx.close();
    }
  }

  private void answer(FullHttpResponse r) {
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

  @Override
  public void channelReadComplete(ChannelHandlerContext c) {
    if (backend != null) {
      backend.flush(); // what this read wrote: one flush for a request's head and body
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext c) {
    pending.release();
    if (backend != null) {
      backend.close();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
    LOG.debug("router client {}: {}", c.channel().remoteAddress(), cause.toString());
    c.close();
  }
}
