package dev.porthole.proxy;

import static dev.porthole.proxy.TcpProxyTest.connect;
import static dev.porthole.proxy.TcpProxyTest.loopback0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.porthole.testsupport.EchoServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs toxics on real sockets through an echo server, with generous time ranges. */
@Timeout(60)
class ToxicsEndToEndTest {
  static ProxyEngine engine;
  static EchoServer echo;
  RunningProxy proxy;

  @BeforeAll
  static void startAll() throws IOException {
    engine = new ProxyEngine();
    echo = new EchoServer();
  }

  @AfterAll
  static void stopAll() throws IOException {
    echo.close();
    engine.close();
  }

  @BeforeEach
  void start() throws IOException {
    proxy = engine.start(ProxyOptions.tcp("e2e", loopback0(), echo.address()));
  }

  @AfterEach
  void stop() {
    proxy.close();
  }

  static ToxicSpec toxic(String name, String type, Direction d, Map<String, Object> attrs) {
    return ToxicSpec.of(name, type, d, attrs);
  }

  static long roundTripMillis(Socket s) throws IOException {
    long start = System.nanoTime();
    s.getOutputStream().write(7);
    assertThat(s.getInputStream().read()).isEqualTo(7);
    return (System.nanoTime() - start) / 1_000_000;
  }

  @Test
  void latencyDelaysEachRoundTrip() throws IOException {
    proxy.toxics(List.of(toxic("lat", "latency", Direction.DOWNSTREAM, Map.of("latency", 200L))));
    try (Socket s = connect(proxy)) {
      assertThat(roundTripMillis(s)).isBetween(195L, 1_500L);
    }
  }

  @Test
  void latencyHoldsEveryChunkAtLeastItsDelayAndKeepsTheirOrder() throws Exception {
    // Chunks 3 ms apart, each carrying its number and when it was sent: through 30 ms upstream
    // and the echo, none may come back sooner than 30 ms after it left (the proxy saw it later
    // still), whether the loop slept, woke early or polled for its deadline.
    proxy.toxics(List.of(toxic("lat", "latency", Direction.UPSTREAM, Map.of("latency", 30L))));
    int chunks = 40;
    try (Socket s = connect(proxy)) {
      s.setTcpNoDelay(true);
      Thread writer =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      java.io.DataOutputStream out =
                          new java.io.DataOutputStream(s.getOutputStream());
                      for (int i = 0; i < chunks; i++) {
                        out.writeLong(i);
                        out.writeLong(System.nanoTime());
                        out.flush();
                        Thread.sleep(3);
                      }
                    } catch (IOException | InterruptedException e) {
                      throw new IllegalStateException(e);
                    }
                  });
      java.io.DataInputStream in = new java.io.DataInputStream(s.getInputStream());
      long[] order = new long[chunks];
      long shortest = Long.MAX_VALUE;
      for (int i = 0; i < chunks; i++) {
        order[i] = in.readLong();
        long sent = in.readLong();
        shortest = Math.min(shortest, System.nanoTime() - sent);
      }
      writer.join(10_000);
      assertThat(order).isEqualTo(java.util.stream.LongStream.range(0, chunks).toArray());
      assertThat(shortest).isGreaterThanOrEqualTo(30_000_000L);
    }
  }

  @Test
  void toxicsChangeLiveOnAnOpenConnection() throws IOException {
    try (Socket s = connect(proxy)) {
      assertThat(roundTripMillis(s)).isLessThan(1_000L); // the first one warms up
      proxy.toxics(List.of(toxic("lat", "latency", Direction.UPSTREAM, Map.of("latency", 300L))));
      assertThat(roundTripMillis(s)).isBetween(295L, 2_000L);
      proxy.toxics(List.of());
      assertThat(roundTripMillis(s)).isLessThan(250L);
    }
  }

  @Test
  void removingAToxicPassesOnWhatItHeld() throws IOException {
    proxy.toxics(List.of(toxic("lat", "latency", Direction.UPSTREAM, Map.of("latency", 5_000L))));
    try (Socket s = connect(proxy)) {
      long start = System.nanoTime();
      s.getOutputStream().write(7);
      proxy.toxics(List.of());
      assertThat(s.getInputStream().read()).isEqualTo(7);
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_500L);
    }
  }

  @Test
  void anUnchangedToxicKeepsItsStateWhenTheListChanges() throws IOException {
    ToxicSpec limit = toxic("lim", "limit_data", Direction.DOWNSTREAM, Map.of("bytes", 10L));
    proxy.toxics(List.of(limit));
    try (Socket s = connect(proxy)) {
      s.getOutputStream().write(new byte[6]);
      assertThat(s.getInputStream().readNBytes(6)).hasSize(6);
      proxy.toxics(List.of(limit, toxic("n", "noop", Direction.DOWNSTREAM, Map.of())));
      s.getOutputStream().write(new byte[6]);
      assertThat(readUntilEnd(s.getInputStream())).isEqualTo(4);
    }
  }

  @Test
  void halfCloseWorksThroughAToxic() throws Exception {
    proxy.toxics(List.of(toxic("lat", "latency", Direction.DOWNSTREAM, Map.of("latency", 50L))));
    byte[] data = new byte[200_000];
    new Random(2).nextBytes(data);
    try (Socket s = connect(proxy)) {
      s.getOutputStream().write(data);
      s.shutdownOutput();
      assertThat(Arrays.equals(s.getInputStream().readAllBytes(), data)).isTrue();
    }
  }

  @Test
  void limitDataSendsExactlyThatManyBytes() throws IOException {
    proxy.toxics(List.of(toxic("lim", "limit_data", Direction.DOWNSTREAM, Map.of("bytes", 10L))));
    try (Socket s = connect(proxy)) {
      s.getOutputStream().write(new byte[100]);
      InputStream in = s.getInputStream();
      assertThat(readUntilEnd(in)).isEqualTo(10);
    }
  }

  @Test
  void resetPeerSendsARst() throws IOException {
    proxy.toxics(List.of(toxic("rst", "reset_peer", Direction.UPSTREAM, Map.of("timeout", 100L))));
    try (Socket s = connect(proxy)) {
      long start = System.nanoTime();
      s.getOutputStream().write(1);
      assertThatThrownBy(() -> s.getInputStream().read())
          .isInstanceOf(SocketException.class)
          .hasMessageContaining("reset");
      assertThat((System.nanoTime() - start) / 1_000_000).isBetween(90L, 3_000L);
    }
  }

  @Test
  void resetPeerWithToxicityZeroLeavesConnectionsAlone() throws IOException {
    proxy.toxics(
        List.of(
            new ToxicSpec("rst", "reset_peer", Direction.UPSTREAM, 0.0, Map.of("timeout", 0L))));
    try (Socket s = connect(proxy)) {
      assertThat(roundTripMillis(s)).isLessThan(1_000L);
    }
  }

  @Test
  void timeoutClosesAnIdleLink() throws IOException {
    proxy.toxics(List.of(toxic("t", "timeout", Direction.UPSTREAM, Map.of("timeout", 300L))));
    try (Socket s = connect(proxy)) {
      long start = System.nanoTime();
      s.getOutputStream().write(1);
      assertThat(readUntilEnd(s.getInputStream())).isZero();
      assertThat((System.nanoTime() - start) / 1_000_000).isBetween(250L, 3_000L);
    }
  }

  @Test
  void slicerKeepsEveryByteInOrder() throws Exception {
    proxy.toxics(
        List.of(
            toxic(
                "s",
                "slicer",
                Direction.DOWNSTREAM,
                Map.of(
                    "average_size",
                    100L,
                    "size_variation",
                    50L,
                    "delay",
                    Long.getLong("slicerDelay", 10L)))));
    byte[] data = new byte[50_000];
    new Random(3).nextBytes(data);
    try (Socket s = connect(proxy)) {
      // Write from another thread: 100-byte pieces fill socket buffers long before 50 KB.
      Thread writer = Thread.ofVirtual().start(() -> writeAndShutdown(s, data));
      assertThat(Arrays.equals(s.getInputStream().readAllBytes(), data)).isTrue();
      writer.join(5_000);
    }
  }

  static void writeAndShutdown(Socket s, byte[] data) {
    try {
      s.getOutputStream().write(data);
      s.shutdownOutput();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void bandwidthLimitsTheRate() throws IOException {
    // 100 KB/s: 50,000 bytes take about 0.5 s.
    proxy.toxics(List.of(toxic("bw", "bandwidth", Direction.DOWNSTREAM, Map.of("rate", 100L))));
    try (Socket s = connect(proxy)) {
      long start = System.nanoTime();
      s.getOutputStream().write(new byte[50_000]);
      s.shutdownOutput();
      assertThat(s.getInputStream().readAllBytes()).hasSize(50_000);
      assertThat((System.nanoTime() - start) / 1_000_000).isBetween(400L, 3_000L);
    }
  }

  @Test
  void badToxicsAreRefusedBeforeAnythingChanges() {
    assertThatThrownBy(
            () -> proxy.toxics(List.of(toxic("s", "slicer", Direction.UPSTREAM, Map.of()))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("slicer: average_size must be > 0 (got 0)");
    assertThatThrownBy(
            () -> proxy.toxics(List.of(toxic("x", "nope", Direction.UPSTREAM, Map.of()))))
        .hasMessage("invalid toxic type: nope");
  }

  private static int readUntilEnd(InputStream in) throws IOException {
    int total = 0;
    try {
      while (in.read() >= 0) {
        total++;
      }
    } catch (SocketException e) {
      // A reset also ends the stream.
    }
    return total;
  }
}
