package dev.porthole.routing.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A WebSocket upgrade carried through the router, both ways, over ws:// and wss://. */
@Timeout(60)
class RouterWebSocketTest {
  @TempDir Path dir;

  @Test
  void framesFlowBothWaysAfterTheUpgrade() throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try (RouterFixture f = new RouterFixture(dir)) {
      Channel upstream = echoServer(group);
      f.route(
          "ws.localhost", "127.0.0.1:" + ((InetSocketAddress) upstream.localAddress()).getPort());
      assertThat(exchange(HttpClient.newHttpClient(), "ws://ws.localhost:" + f.router.httpPort()))
          .isEqualTo("echo:hello 0,echo:hello 1,echo:hello 2");
      HttpClient tls =
          HttpClient.newBuilder()
              .sslContext(f.trustingCa())
              .connectTimeout(Duration.ofSeconds(20))
              .build();
      assertThat(exchange(tls, "wss://ws.localhost:" + f.router.httpsPort()))
          .isEqualTo("echo:hello 0,echo:hello 1,echo:hello 2");
      upstream.close().sync();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  private static String exchange(HttpClient client, String base) throws Exception {
    LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
    WebSocket ws =
        client
            .newWebSocketBuilder()
            .connectTimeout(Duration.ofSeconds(20))
            .buildAsync(
                URI.create(base + "/ws"),
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                    got.add(data.toString());
                    w.request(1);
                    return CompletableFuture.completedFuture(null);
                  }
                })
            .get(30, TimeUnit.SECONDS);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      ws.sendText("hello " + i, true).get(10, TimeUnit.SECONDS);
      String answer = got.poll(10, TimeUnit.SECONDS);
      sb.append(i == 0 ? "" : ",").append(answer);
    }
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
    return sb.toString();
  }

  private static Channel echoServer(EventLoopGroup group) throws InterruptedException {
    return new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childHandler(
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                ch.pipeline()
                    .addLast(
                        new HttpServerCodec(),
                        new HttpObjectAggregator(65536),
                        new WebSocketServerProtocolHandler("/ws"),
                        new SimpleChannelInboundHandler<TextWebSocketFrame>() {
                          @Override
                          protected void channelRead0(
                              ChannelHandlerContext ctx, TextWebSocketFrame m) {
                            ctx.writeAndFlush(new TextWebSocketFrame("echo:" + m.text()));
                          }
                        });
              }
            })
        .bind("127.0.0.1", 0)
        .sync()
        .channel();
  }
}
