package dev.porthole.routing.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Returns the stage after the TLS handshake: HTTP/2 when the client chose {@code h2} by ALPN (each
 * stream a child channel that speaks HTTP objects to an {@link HttpFrontend}), else HTTP/1.1.
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
      ctx.pipeline().addLast(Http2FrameCodecBuilder.forServer().build());
      ctx.pipeline()
          .addLast(
              new Http2MultiplexHandler(
                  new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel stream) {
                      stream.config().setAutoRead(false);
                      stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true));
                      stream.pipeline().addLast(new HttpFrontend(context, "https"));
                    }
                  }));
      return;
    }
    ctx.channel().config().setAutoRead(false);
    ctx.pipeline().addLast("http", new HttpServerCodec());
    ctx.pipeline().addLast("frontend", new HttpFrontend(context, "https"));
  }

  /**
   * A client that resets or drops the connection before the handshake ends is routine (a port
   * scanner, a browser's speculative connection), not a fault: Netty's default logs it as a
   * warning with a stack trace and passes it to the pipeline's tail, which logs it again.
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
