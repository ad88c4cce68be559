package dev.porthole.proxy;

import static dev.porthole.proxy.TcpProxyTest.connect;
import static dev.porthole.proxy.TcpProxyTest.loopback0;
import static dev.porthole.proxy.ToxicsEndToEndTest.roundTripMillis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.porthole.testsupport.EchoServer;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs porthole's own toxics (connect faults, limit_time, loss) on real sockets. */
@Timeout(60)
class ConnectFaultsTest {
  static ProxyEngine engine;
  static EchoServer echo;

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

  static ToxicSpec spec(String type, Map<String, Object> attributes) {
    return ToxicSpec.of(type, type, Direction.DOWNSTREAM, attributes);
  }

  @Test
  void refuseResetsNewConnectionsWithoutDialing() throws Exception {
    // Checked through the listener: other programs may probe any listening port, so an upstream
    // that "nobody" connects to cannot prove the proxy did not dial.
    java.util.concurrent.BlockingQueue<String> events =
        new java.util.concurrent.LinkedBlockingQueue<>();
    ConnectionListener recorder =
        new ConnectionListener() {
          @Override
          public void opened(long id, java.net.InetSocketAddress client) {
            events.add("opened");
          }

          @Override
          public void failed(long id, java.net.InetSocketAddress client, String reason) {
            events.add("failed: " + reason);
          }
        };
    try (RunningProxy proxy =
        engine.start(
            ProxyOptions.tcp("r", loopback0(), echo.address()),
            recorder,
            List.of(spec("refuse", Map.of())))) {
      assertThat(endsAtOnce(proxy)).isTrue();
      assertThat(events.poll(5, java.util.concurrent.TimeUnit.SECONDS))
          .isEqualTo("failed: reset by the refuse toxic");
    }
  }

  /** Returns true when the connection ends (EOF or reset) without any byte. */
  private static boolean endsAtOnce(RunningProxy proxy) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(proxy.localAddress(), 5_000);
      s.setSoTimeout(5_000);
      return s.getInputStream().read() == -1;
    } catch (java.net.SocketException e) {
      return true; // the RST arrived before or during the read
    }
  }

  @Test
  void blackHoleNeverAnswersNorCloses() throws IOException {
    try (RunningProxy proxy = engine.start(ProxyOptions.tcp("b", loopback0(), echo.address()))) {
      proxy.toxics(List.of(spec("black_hole", Map.of())));
      try (Socket s = connect(proxy)) {
        s.setSoTimeout(500);
        s.getOutputStream().write(new byte[1000]);
        assertThatThrownBy(() -> s.getInputStream().read())
            .isInstanceOf(SocketTimeoutException.class);
      }
    }
  }

  @Test
  void connectDelayHoldsTheFirstAnswer() throws IOException {
    try (RunningProxy proxy = engine.start(ProxyOptions.tcp("d", loopback0(), echo.address()))) {
      proxy.toxics(List.of(spec("connect_delay", Map.of("delay", 300L))));
      try (Socket s = connect(proxy)) {
        assertThat(roundTripMillis(s)).isBetween(280L, 3_000L);
        assertThat(roundTripMillis(s)).isLessThan(250L);
      }
    }
  }

  @Test
  void limitTimeClosesTheConnection() throws IOException {
    try (RunningProxy proxy = engine.start(ProxyOptions.tcp("t", loopback0(), echo.address()))) {
      proxy.toxics(List.of(spec("limit_time", Map.of("time", 300L))));
      try (Socket s = connect(proxy)) {
        long start = System.nanoTime();
        assertThat(roundTripMillis(s)).isLessThan(250L);
        assertThat(TcpProxyTest.readOrReset(s.getInputStream())).isEqualTo(-1);
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(250L, 3_000L);
      }
    }
  }

  @Test
  void lossOnTcpDelaysButLosesNoByte() throws IOException {
    try (RunningProxy proxy = engine.start(ProxyOptions.tcp("l", loopback0(), echo.address()))) {
      proxy.toxics(List.of(spec("loss", Map.of("probability", 1.0, "delay", 200L))));
      try (Socket s = connect(proxy)) {
        assertThat(roundTripMillis(s)).isBetween(190L, 3_000L);
      }
    }
  }
}
