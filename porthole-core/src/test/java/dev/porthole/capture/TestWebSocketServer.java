package dev.porthole.capture;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import java.net.InetSocketAddress;

/**
 * Returns a real WebSocket server (Netty's server handshaker and frame codec) on a free loopback
 * port, path {@code /ws}: it greets each client with a text frame "hello" and echoes text frames as
 * "echo: TEXT" and binary frames as they came.
 */
final class TestWebSocketServer implements AutoCloseable {
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel server;

  TestWebSocketServer() throws InterruptedException {
    this(false);
  }

  /** Returns a server that also agrees on permessage-deflate when {@code deflate}. */
  TestWebSocketServer(boolean deflate) throws InterruptedException {
    WebSocketServerProtocolConfig config =
        WebSocketServerProtocolConfig.newBuilder()
            .websocketPath("/ws")
            .maxFramePayloadLength(1 << 20)
            .allowExtensions(deflate)
            .build();
    server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpObjectAggregator(1 << 16));
                    if (deflate) {
                      ch.pipeline().addLast(new WebSocketServerCompressionHandler(1 << 20));
                    }
                    ch.pipeline()
                        .addLast(new WebSocketServerProtocolHandler(config))
                        .addLast(new Echo());
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
  }

  String address() {
    return "127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort();
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  private static final class Echo extends SimpleChannelInboundHandler<WebSocketFrame> {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
        ctx.writeAndFlush(new TextWebSocketFrame("hello"));
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
      if (frame instanceof TextWebSocketFrame t) {
        ctx.writeAndFlush(new TextWebSocketFrame("echo: " + t.text()));
      } else if (frame instanceof BinaryWebSocketFrame b) {
        ctx.writeAndFlush(new BinaryWebSocketFrame(Unpooled.copiedBuffer(b.content())));
      }
    }
  }
}
