package dev.porthole.routing.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2RemoteFlowController;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.UniformStreamByteDistributor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP/2 side of one routed TLS connection: one connection handler whose frame listener ({@link
 * Http2Streams}) serves every stream as an {@link Http2Exchange}, with no child channel, pipeline
 * or HTTP-object codec per stream (those were most of the router's HTTP/2 cost per request).
 *
 * <pre>{@code
 * pipeline: SslHandler -> Http2Frontend (frames <-> Http2Exchange per stream)
 * }</pre>
 */
final class Http2Frontend extends Http2ConnectionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(Http2Frontend.class);

  /** Concurrent streams a client may open; nginx's default is 128 too. */
  static final int MAX_CONCURRENT_STREAMS = 128;

  private Http2Streams streams;

  private Http2Frontend(
      Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings) {
    super(decoder, encoder, settings);
  }

  /** Returns the handler for a connection that chose {@code h2} by ALPN. */
  static Http2Frontend create(RouterContext router) {
    return new Builder(router).build();
  }

  /** Flushes the request body that this read passed to upstreams, then the client's frames. */
  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    streams.flushUpstreams();
    super.channelReadComplete(ctx);
  }

  /**
   * A client that resets or drops the connection is routine, not a fault: logged at debug and the
   * connection closed, not passed to the pipeline's tail (which warns with a stack trace).
   */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
    if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) != null) {
      super.exceptionCaught(ctx, cause); // a protocol error: GOAWAY or RST_STREAM as the RFC says
      return;
    }
    LOG.debug("router HTTP/2 client {}: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }

  private static final class Builder
      extends AbstractHttp2ConnectionHandlerBuilder<Http2Frontend, Builder> {
    private final RouterContext router;

    Builder(RouterContext router) {
      this.router = router;
      initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(MAX_CONCURRENT_STREAMS));
      // Streams share the connection's window evenly: the default (weighted fair queue) keeps a
      // priority tree whose nodes cost an allocation and re-sorting on every stream's open and
      // close, for priorities that RFC 9113 deprecated and that browsers no longer send.
      DefaultHttp2Connection connection = new DefaultHttp2Connection(true);
      connection
          .remote()
          .flowController(
              new DefaultHttp2RemoteFlowController(
                  connection, new UniformStreamByteDistributor(connection)));
      connection(connection);
    }

    @Override
    protected Http2Frontend build() {
      return super.build();
    }

    @Override
    protected Http2Frontend build(
        Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings) {
      Http2Frontend handler = new Http2Frontend(decoder, encoder, settings);
      handler.streams = new Http2Streams(router, handler);
      frameListener(handler.streams);
      return handler;
    }
  }
}
