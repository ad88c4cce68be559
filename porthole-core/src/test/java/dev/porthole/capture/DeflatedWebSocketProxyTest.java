package dev.porthole.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.proxy.ProxyEngine;
import dev.porthole.proxy.ProxyOptions;
import dev.porthole.proxy.RunningProxy;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A WebSocket connection that agreed on permessage-deflate, through a recording proxy: Netty's
 * compression handlers at both ends (a real RFC 7692 peer each), the frames recorded as compressed
 * and previewed as the text the peers exchanged.
 */
@Timeout(60)
class DeflatedWebSocketProxyTest {
  @Test
  void compressedFramesArePreviewedInflatedBothWays() throws Exception {
    Collected collected = new Collected();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try (TestWebSocketServer server = new TestWebSocketServer(true);
        CaptureRecorder recorder = new CaptureRecorder(CaptureSettings.defaults());
        ProxyEngine engine = new ProxyEngine()) {
      recorder.addListener(collected);
      engine.recorder(recorder);
      RunningProxy proxy =
          engine.start(
              ProxyOptions.tcp(
                  "wsz",
                  new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                  server.address()));
      int port = proxy.localAddress().getPort();
      BlockingQueue<String> got = new LinkedBlockingQueue<>();
      Channel ch = connect(group, port, got);
      assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("open");
      assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("hello");
      String[] sent = {"first message " + "abc".repeat(100), "second " + "abc".repeat(100), "3"};
      for (String m : sent) {
        ch.writeAndFlush(new TextWebSocketFrame(m)).sync();
        assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("echo: " + m);
      }
      ch.close().sync();
      ConnectionRecord r = collected.nextRecord();
      assertThat(r.kind()).isEqualTo("websocket");
      assertThat(r.exchanges().getFirst().responseHeaders().toString())
          .contains("permessage-deflate");
      java.util.List<WebSocketFrame> text =
          r.frames().stream().filter(f -> f.opcode() == 1).toList();
      assertThat(text).allMatch(WebSocketFrame::compressed).allMatch(WebSocketFrame::text);
      assertThat(text)
          .extracting(f -> f.side() + " " + f.data())
          .containsExactly(
              "SERVER hello",
              "CLIENT " + sent[0],
              "SERVER echo: " + sent[0],
              "CLIENT " + sent[1],
              "SERVER echo: " + sent[1],
              "CLIENT " + sent[2],
              "SERVER echo: " + sent[2]);
      assertThat(text.get(1).size()).isLessThan(sent[0].length()); // the wire size, compressed
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  private static Channel connect(EventLoopGroup group, int port, BlockingQueue<String> got)
      throws InterruptedException {
    URI uri = URI.create("ws://127.0.0.1:" + port + "/ws");
    var handshaker =
        WebSocketClientHandshakerFactory.newHandshaker(
            uri, WebSocketVersion.V13, null, true, new DefaultHttpHeaders());
    return new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .handler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                ch.pipeline()
                    .addLast(new HttpClientCodec())
                    .addLast(new HttpObjectAggregator(1 << 16))
                    .addLast(new WebSocketClientCompressionHandler(1 << 20))
                    .addLast(new WebSocketClientProtocolHandler(handshaker))
                    .addLast(
                        new SimpleChannelInboundHandler<TextWebSocketFrame>() {
                          @Override
                          public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                            if (evt
                                == WebSocketClientProtocolHandler.ClientHandshakeStateEvent
                                    .HANDSHAKE_COMPLETE) {
                              got.add("open");
                            }
                            ctx.fireUserEventTriggered(evt);
                          }

                          @Override
                          protected void channelRead0(
                              ChannelHandlerContext ctx, TextWebSocketFrame frame) {
                            got.add(frame.text());
                          }
                        });
              }
            })
        .connect("127.0.0.1", port)
        .sync()
        .channel();
  }
}
