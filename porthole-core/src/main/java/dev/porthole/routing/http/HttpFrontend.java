package dev.porthole.routing.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline end of one routed HTTP/1.1 connection: passes what the codec decoded to the
 * connection's {@link Http1Exchange}, answers 400 to what it could not decode, and after a {@code
 * 101} passes raw bytes on untouched. AUTO_READ is off: the next read happens only after a write
 * succeeded, so a slow upstream slows the client instead of filling memory.
 */
final class HttpFrontend extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(HttpFrontend.class);

  private final RouterContext router;
  private final String proto;
  private Http1Exchange exchange;

  HttpFrontend(RouterContext router, String proto) {
    this.router = router;
    this.proto = proto;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext c) {
    exchange = new Http1Exchange(router, c, proto);
    if (c.channel().isActive()) {
      c.read(); // added after the TLS handshake: channelActive has been and gone
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext c) {
    c.read();
  }

  @Override
  public void channelRead(ChannelHandlerContext c, Object msg) {
    if (exchange.raw && msg instanceof ByteBuf) {
      exchange.link().write(msg, true, true);
    } else if (msg instanceof HttpRequest req) {
      if (req.decoderResult().isFailure()) {
        ReferenceCountUtil.release(req);
        c.writeAndFlush(ErrorPages.badRequest(c.alloc(), req.decoderResult().cause()))
            .addListener(ChannelFutureListener.CLOSE);
        return;
      }
      exchange.request(req);
    } else if (msg instanceof HttpContent content) {
      exchange.content(content);
    } else {
      ReferenceCountUtil.release(msg);
      c.read();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext c) {
    exchange.link().flush();
  }

  @Override
  public void channelInactive(ChannelHandlerContext c) {
    exchange.link().close();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
    LOG.debug("router client {}: {}", c.channel().remoteAddress(), cause.toString());
    c.close();
  }
}
