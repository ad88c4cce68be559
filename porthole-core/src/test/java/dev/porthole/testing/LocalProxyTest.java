package dev.porthole.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.porthole.testsupport.EchoServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Drives {@link LocalProxy} with real sockets through an echo server. */
@Timeout(60)
class LocalProxyTest {
  static EchoServer echo;

  @BeforeAll
  static void start() throws IOException {
    echo = new EchoServer();
  }

  @AfterAll
  static void stop() throws IOException {
    echo.close();
  }

  static Socket connect(LocalProxy p) throws IOException {
    Socket s = new Socket();
    s.connect(p.address(), 2_000);
    s.setSoTimeout(5_000);
    return s;
  }

  static long roundTripMillis(Socket s) throws IOException {
    long start = System.nanoTime();
    s.getOutputStream().write(42);
    assertThat(s.getInputStream().read()).isEqualTo(42);
    return (System.nanoTime() - start) / 1_000_000;
  }

  @Test
  void forwardsBytesAndCountsThem() throws IOException {
    try (LocalProxy p = LocalProxy.to(echo.port());
        Socket s = connect(p)) {
      s.getOutputStream().write("hello".getBytes());
      assertThat(s.getInputStream().readNBytes(5)).isEqualTo("hello".getBytes());
      ProxyCounters c = p.counters();
      assertThat(c.connections()).isEqualTo(1);
      assertThat(c.openConnections()).isEqualTo(1);
      assertThat(c.bytesUpstream()).isEqualTo(5);
      assertThat(c.bytesDownstream()).isEqualTo(5);
      assertThat(c.sawTraffic()).isTrue();
    }
  }

  @Test
  void latencyAndJitterDelayEveryRoundTrip() throws IOException {
    try (LocalProxy p = LocalProxy.to("127.0.0.1:" + echo.port());
        Socket s = connect(p)) {
      LatencyToxic slow = p.toxics().latency(Duration.ofMillis(200)).jitter(Duration.ofMillis(10));
      assertThat(slow.attributes()).containsEntry("latency", 200L).containsEntry("jitter", 10L);
      assertThat(roundTripMillis(s)).isBetween(185L, 3_000L);
      slow.remove();
      assertThat(p.toxics().names()).isEmpty();
      assertThat(roundTripMillis(s)).isLessThan(185L);
    }
  }

  @Test
  void upstreamLatencyMovesToTheOtherStream() throws IOException {
    try (LocalProxy p = LocalProxy.to(echo.port())) {
      LatencyToxic t = p.toxics().latency(Duration.ofMillis(50)).upstream();
      assertThat(t.stream()).isEqualTo("upstream");
      assertThat(p.toxics().names()).containsExactly("latency_downstream");
      try (Socket s = connect(p)) {
        assertThat(roundTripMillis(s)).isBetween(45L, 3_000L);
      }
    }
  }

  @Test
  void disabledProxyRefusesConnectionsAndEnableListensOnTheSamePort() throws IOException {
    try (LocalProxy p = LocalProxy.to(echo.port())) {
      int port = p.port();
      p.disable();
      assertThat(p.isEnabled()).isFalse();
      assertThatThrownBy(() -> connect(p)).isInstanceOf(ConnectException.class);
      p.enable();
      assertThat(p.port()).isEqualTo(port);
      try (Socket s = connect(p)) {
        assertThat(roundTripMillis(s)).isLessThan(3_000L);
      }
    }
  }

  @Test
  void cutStopsEveryByteAndRestoreLetsNewConnectionsThrough() throws IOException {
    try (LocalProxy p = LocalProxy.to(echo.port())) {
      p.cut();
      try (Socket s = connect(p)) {
        s.setSoTimeout(300);
        s.getOutputStream().write(1);
        assertThatThrownBy(() -> s.getInputStream().read())
            .isInstanceOf(SocketTimeoutException.class);
      }
      p.restore();
      assertThat(p.toxics().names()).isEmpty();
      try (Socket s = connect(p)) {
        assertThat(roundTripMillis(s)).isLessThan(3_000L);
      }
    }
  }

  @Test
  void resetPeerResetsTheConnection() throws IOException {
    try (LocalProxy p = LocalProxy.to(echo.port())) {
      p.toxics().resetPeer(Duration.ZERO);
      try (Socket s = connect(p)) {
        s.getOutputStream().write(1);
        assertThatThrownBy(() -> s.getInputStream().read())
            .isInstanceOf(SocketException.class)
            .hasMessageContaining("reset");
      }
    }
  }

  @Test
  void limitDataClosesAfterTheGivenBytes() throws IOException {
    try (LocalProxy p = LocalProxy.to(echo.port());
        Socket s = connect(p)) {
      p.toxics().limitData(3);
      s.getOutputStream().write(new byte[] {1, 2, 3, 4, 5});
      assertThat(s.getInputStream().readAllBytes()).containsExactly(1, 2, 3);
    }
  }

  @Test
  void bandwidthSlowsALargeTransfer() throws IOException {
    try (LocalProxy p = LocalProxy.to(echo.port());
        Socket s = connect(p)) {
      p.toxics().bandwidth(100); // 100 KB/s: 50 kB take about 0.5 s
      long start = System.nanoTime();
      s.getOutputStream().write(new byte[50_000]);
      assertThat(s.getInputStream().readNBytes(50_000)).hasSize(50_000);
      assertThat((System.nanoTime() - start) / 1_000_000).isBetween(350L, 10_000L);
    }
  }

  @Test
  void closeConnectionsDropsLiveOnesAndKeepsListening() throws IOException {
    try (LocalProxy p = LocalProxy.to(echo.port());
        Socket s = connect(p)) {
      roundTripMillis(s);
      p.closeConnections();
      assertThat(s.getInputStream().read()).isEqualTo(-1);
      try (Socket again = connect(p)) {
        assertThat(roundTripMillis(again)).isLessThan(3_000L);
      }
    }
  }

  @Test
  void listensOnAReservedPort() throws IOException {
    try (PortReservation r = Ports.reserve();
        LocalProxy p = LocalProxy.builder().name("db").upstream(echo.port()).listen(r).start()) {
      assertThat(p.port()).isEqualTo(r.port());
      assertThat(r.isHeld()).isFalse();
      assertThat(p.name()).startsWith("db#");
    }
  }

  @Test
  void takesTheUpstreamAsAUriOrAJdbcUrl() {
    try (LocalProxy a = LocalProxy.to(URI.create("http://127.0.0.1:" + echo.port() + "/x"));
        LocalProxy b = LocalProxy.to("jdbc:postgresql://localhost:5432/app");
        LocalProxy c = LocalProxy.to("https://example.test/")) {
      assertThat(a.upstream()).isEqualTo("127.0.0.1:" + echo.port());
      assertThat(b.upstream()).isEqualTo("localhost:5432");
      assertThat(c.upstream()).isEqualTo("example.test:443");
    }
  }

  @Test
  void badArgumentsSayWhatIsWrong() {
    assertThatThrownBy(() -> LocalProxy.to("nowhere"))
        .hasMessage("upstream: expected a port, host:port or a URI (got nowhere)");
    assertThatThrownBy(() -> LocalProxy.to("ftp://host/"))
        .hasMessage("upstream: URI ftp://host/ has no port (add :PORT)");
    assertThatThrownBy(() -> LocalProxy.builder().start())
        .hasMessage("upstream: not set (call upstream(...) before start())");
    try (LocalProxy p = LocalProxy.to(echo.port())) {
      assertThatThrownBy(() -> p.toxics().latency(Duration.ofMillis(-1)))
          .hasMessage("latency: PT-0.001S (expected: >= 0)");
      assertThatThrownBy(() -> p.toxics().get("nope")).hasMessage("toxic not found");
      assertThatThrownBy(() -> p.toxics().bandwidth(0)).hasMessageContaining("use cut()");
      assertThatThrownBy(() -> p.toxics().latency(Duration.ZERO).toxicity(2))
          .hasMessage("toxicity: 2.0 (expected: 0..1)");
    }
  }

  @Test
  void closedProxyRefusesConnectionsAndUse() {
    LocalProxy p = LocalProxy.to(echo.port());
    InetSocketAddress a = p.address();
    p.close();
    p.close();
    assertThatThrownBy(() -> new Socket().connect(a, 1_000)).isInstanceOf(ConnectException.class);
    assertThatThrownBy(p::toxics).hasMessage("proxy " + p.name() + " is closed");
  }
}
