package dev.porthole.routing.http;

import dev.porthole.checks.Diagnosis;
import dev.porthole.routing.Balancer;
import dev.porthole.routing.Upstream;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * The client side of routed requests, whatever the client speaks: one HTTP/1.1 connection ({@link
 * Http1Exchange}) or one HTTP/2 stream ({@link Http2Exchange}). Picks the route by {@code Host},
 * rewrites the forwarding headers and hands the request to its {@link UpstreamLink}; answers itself
 * when no route matches or no upstream does. The subclasses carry the response to the client and
 * ask for the next part of the request only after the previous one was written (backpressure).
 */
abstract class Exchange {
  final RouterContext router;

  /** The client connection's context (the HTTP/2 connection's, for a stream). */
  final ChannelHandlerContext ctx;

  private final UpstreamLink link;
  private final ForwardedHeaders forwarded;
  private boolean discarding;
  private boolean requestEnded;
  private boolean upstreamKeepAlive;
  boolean raw;
  boolean keepAlive = true;
  boolean json;

  /** Returns an exchange whose requests {@code forwarded} rewrites (one per client connection). */
  Exchange(RouterContext router, ChannelHandlerContext ctx, ForwardedHeaders forwarded) {
    this.router = router;
    this.ctx = ctx;
    this.link = new UpstreamLink(router, this);
    this.forwarded = forwarded;
  }

  /** Writes a part of the response (an {@code HttpObject}, or bytes of a tunnel). */
  abstract ChannelFuture write(Object msg);

  /** Writes a part of the response and flushes. */
  abstract ChannelFuture writeAndFlush(Object msg);

  /** Flushes what was written to the client. */
  abstract void flush();

  /** Asks for the next part of the request: the last one was passed on. */
  abstract void read();

  /** Ends the exchange abruptly: the client must see the response was cut, not a shorter one. */
  abstract void close();

  /** Returns whether the client can still be answered. */
  abstract boolean isActive();

  /** Returns the event loop of the client, which its upstream connection shares. */
  final EventLoop eventLoop() {
    return ctx.channel().eventLoop();
  }

  final ByteBufAllocator alloc() {
    return ctx.alloc();
  }

  /** Called after a {@code 101}: from the end of that write on, bytes flow both ways untouched. */
  abstract void tunnel();

  /** Called when the response was written to the end: the next request may come. */
  abstract void responseDone();

  /** Returns the upstream side of this client, for its {@link Backend} and connector. */
  final UpstreamLink link() {
    return link;
  }

  /** Returns whether the client's connection stays open after this request's response. */
  abstract boolean keepsAlive(HttpRequest req);

  /** Takes the head of a request (a {@code LastHttpContent} too when it has no body). */
  final void request(HttpRequest req) {
    keepAlive = keepsAlive(req);
    boolean last = req instanceof LastHttpContent;
    requestEnded = last;
    RequestFacts facts = RequestFacts.of(req);
    json = facts.json();
    Balancer route = router.routes().find(facts.host());
    if (route == null) {
      discarding = !last;
      ReferenceCountUtil.release(req);
      answer(ErrorPages.noRoute(alloc(), facts.host(), router.routes().list(), json));
      return;
    }
    forwarded.apply(req.headers(), facts.upgrade());
    upstreamKeepAlive = keepAlive && !facts.upgrade(); // as the upstream sees it
    link.send(route, req, last);
  }

  /** Takes a part of the request's body. */
  final void content(HttpContent content) {
    boolean last = content instanceof LastHttpContent;
    requestEnded |= last;
    if (discarding) {
      content.release();
      discarding = !last;
      if (!last) {
        read();
      }
    } else {
      link.content(content, last);
    }
  }

  /**
   * Called by a kept connection that closed before answering (the upstream timed it out as the
   * request went): sends a bodiless request again on a new connection; false when it had a body.
   */
  final boolean retryOnFreshConnection() {
    return link.resend(requestEnded);
  }

  /** Returns whether the upstream connection may serve another request after this response. */
  final boolean upstreamReusable() {
    return upstreamKeepAlive && requestEnded && !raw;
  }

  /** Called when no upstream answered: diagnoses it off the loop, then answers 502. */
  final void diagnoseAndFail(Upstream upstream, String what) {
    router
        .diagnosis()
        .diagnose(upstream, what)
        .thenAccept(d -> eventLoop().execute(() -> failed(upstream, d)));
  }

  private void failed(Upstream upstream, Diagnosis d) {
    link.failed();
    if (!isActive()) {
      return;
    }
    discarding = !requestEnded;
    Balancer route = link.route();
    answer(ErrorPages.badGateway(alloc(), route.route(), upstream.toString(), d, json));
  }

  /** Writes the router's own answer; the exchange goes on (or ends) as after any response. */
  abstract void answer(FullHttpResponse r);
}
