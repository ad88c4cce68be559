package dev.porthole.routing.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.routing.Upstream;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The pool's idle sweep on real connections: one sweep closes what waited too long, only that. */
@Timeout(30)
class UpstreamPoolTest {
  private static final long IDLE_MILLIS = 300;

  ServerSocket upstream;
  EventLoopGroup group;
  EventLoop loop;
  Upstream u;
  UpstreamPool pool = new UpstreamPool(IDLE_MILLIS);

  @BeforeEach
  void start() throws Exception {
    upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    loop = group.next();
    u = Upstream.parse("127.0.0.1:" + upstream.getLocalPort());
  }

  @AfterEach
  void stop() throws Exception {
    pool.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    upstream.close();
  }

  private Channel connect() throws Exception {
    return new Bootstrap()
        .group(loop)
        .channel(NioSocketChannel.class)
        .handler(new ChannelInboundHandlerAdapter())
        .connect(upstream.getLocalSocketAddress())
        .sync()
        .channel();
  }

  private <T> T onLoop(Callable<T> task) throws Exception {
    return loop.submit(task).get(10, TimeUnit.SECONDS);
  }

  @Test
  void aConnectionIdleTooLongIsClosedBySweep() throws Exception {
    Channel ch = connect();
    assertThat(onLoop(() -> pool.release(ch, u))).isTrue();
    assertThat(ch.closeFuture().await(IDLE_MILLIS / 3)).as("closed before its time").isFalse();
    assertThat(ch.closeFuture().await(10_000)).as("closed by the sweep").isTrue();
    assertThat(onLoop(() -> pool.acquire(loop, u))).isNull();
  }

  @Test
  void aConnectionTakenBackBeforeTheSweepStaysOpen() throws Exception {
    Channel taken = connect();
    Channel left = connect();
    onLoop(() -> pool.release(left, u) && pool.release(taken, u));
    assertThat(onLoop(() -> pool.acquire(loop, u))).isSameAs(taken); // the most recent first
    assertThat(left.closeFuture().await(10_000)).isTrue();
    assertThat(taken.isActive()).isTrue();
    assertThat(onLoop(() -> pool.release(taken, u))).isTrue(); // waits again, swept again
    assertThat(taken.closeFuture().await(10_000)).isTrue();
  }
}
