package dev.porthole.routing.http;

import dev.porthole.checks.Diagnosis;
import dev.porthole.routing.Balancer;
import dev.porthole.routing.Upstream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of one routed connection (or one HTTP/2 stream): picks the route by {@code Host},
 * rewrites the request's forwarding headers and hands it to its {@link UpstreamLink}; answers
 * itself when no route matches or no upstream does. AUTO_READ is off: the next read happens only
 * after a write succeeded, so a slow upstream slows the client instead of filling memory.
 */
final class HttpFrontend extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(HttpFrontend.class);

  private final RouterContext router;
  private final String proto;
  private ChannelHandlerContext ctx;
  private UpstreamLink link;
  private ForwardedHeaders forwarded;
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
  public void handlerAdded(ChannelHandlerContext c) {
    ctx = c;
    link = new UpstreamLink(router, c, this);
    forwarded = new ForwardedHeaders(RequestFacts.client(c.channel()), proto);
    if (c.channel().isActive()) {
      c.read(); // added after the TLS handshake (or to a stream): channelActive has been and gone
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext c) {
    c.read();
  }

  /** Returns the upstream side of this client, for its {@link Backend} and connector. */
  UpstreamLink link() {
    return link;
  }

  @Override
  public void channelRead(ChannelHandlerContext c, Object msg) {
    if (raw && msg instanceof ByteBuf) {
      link.write(msg, true, true);
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
    RequestFacts facts = RequestFacts.of(req);
    json = facts.json();
    Balancer route = router.routes().find(facts.host());
    if (route == null) {
      discarding = !last;
      ReferenceCountUtil.release(req);
      answer(ErrorPages.noRoute(ctx.alloc(), facts.host(), router.routes().list(), json));
      return;
    }
    forwarded.apply(req.headers(), facts.upgrade());
    upstreamKeepAlive = HttpUtil.isKeepAlive(req) && !facts.upgrade(); // as the upstream sees it
    link.send(route, req, last);
  }

  private void content(HttpContent content) {
    boolean last = content instanceof LastHttpContent;
    requestEnded |= last;
    if (discarding) {
      content.release();
      discarding = !last;
      if (!last) {
        ctx.read();
      }
    } else {
      link.content(content, last);
    }
  }

  /**
   * Called by a kept connection that closed before answering (the upstream timed it out as the
   * request went): sends a bodiless request again on a new connection; false when it had a body.
   */
  boolean retryOnFreshConnection() {
    return link.resend(requestEnded);
  }

  /** Returns whether the upstream connection may serve another request after this response. */
  boolean upstreamReusable() {
    return upstreamKeepAlive && requestEnded && !raw;
  }

  /** Called when no upstream answered: diagnoses it off the loop, then answers 502. */
  void diagnoseAndFail(Upstream upstream, String what) {
    router
        .diagnosis()
        .diagnose(upstream, what)
        .thenAccept(d -> ctx.executor().execute(() -> failed(upstream, d)));
  }

  private void failed(Upstream upstream, Diagnosis d) {
    link.failed();
    discarding = !requestEnded;
    Balancer route = link.route();
    answer(ErrorPages.badGateway(ctx.alloc(), route.route(), upstream.toString(), d, json));
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
    link.flush();
  }

  @Override
  public void channelInactive(ChannelHandlerContext c) {
    link.close();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
    LOG.debug("router client {}: {}", c.channel().remoteAddress(), cause.toString());
    c.close();
  }
}
