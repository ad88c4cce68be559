package dev.porthole.routing.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Returns the stage after the TLS handshake: HTTP/2 when the client chose {@code h2} by ALPN (one
 * {@link Http2Frontend} serving every stream), else HTTP/1.1 through an {@link HttpFrontend}.
 */
final class AlpnHandler extends ApplicationProtocolNegotiationHandler {
  private static final Logger LOG = LoggerFactory.getLogger(AlpnHandler.class);

  private final RouterContext context;

  AlpnHandler(RouterContext context) {
    super(ApplicationProtocolNames.HTTP_1_1);
    this.context = context;
  }

  @Override
  protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
    if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
      ctx.channel().config().setAutoRead(true); // streams have their own flow control
      ctx.pipeline().addLast("h2", Http2Frontend.create(context));
      return;
    }
    ctx.channel().config().setAutoRead(false);
    ctx.pipeline().addLast("http", new HttpServerCodec());
    ctx.pipeline().addLast("frontend", new HttpFrontend(context, "https"));
  }

  /**
   * A client that resets or drops the connection before the handshake ends is routine (a port
   * scanner, a browser's speculative connection), not a fault: Netty's default logs it as a warning
   * with a stack trace and passes it to the pipeline's tail, which logs it again.
   */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
    if (cause instanceof DecoderException && cause.getCause() instanceof SSLException) {
      super.exceptionCaught(ctx, cause); // the handshake failed: handshakeFailure below
      return;
    }
    LOG.debug(
        "router TLS connection from {} ended before the handshake: {}",
        ctx.channel().remoteAddress(),
        cause.toString());
    ctx.close();
  }

  @Override
  protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug(
        "router TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
