package dev.porthole.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.porthole.testsupport.EchoServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class TcpProxyTest {
  static ProxyEngine engine;
  static EchoServer echo;

  @BeforeAll
  static void start() throws IOException {
    engine = new ProxyEngine();
    echo = new EchoServer();
  }

  @AfterAll
  static void stop() throws IOException {
    echo.close();
    engine.close();
  }

  static InetSocketAddress loopback0() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
  }

  static RunningProxy proxyTo(String upstream) throws IOException {
    return engine.start(ProxyOptions.tcp("test", loopback0(), upstream));
  }

  static Socket connect(RunningProxy proxy) throws IOException {
    Socket s = new Socket();
    s.connect(proxy.localAddress(), 5000);
    s.setSoTimeout(10_000);
    return s;
  }

  @Test
  void forwardsBytesBothWays() throws IOException {
    try (RunningProxy proxy = proxyTo(echo.address());
        Socket s = connect(proxy)) {
      s.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
      byte[] got = s.getInputStream().readNBytes(5);
      assertThat(new String(got, StandardCharsets.US_ASCII)).isEqualTo("hello");
      assertThat(proxy.stats().bytesUpstream()).isEqualTo(5);
    }
  }

  @Test
  void clientHalfCloseStillGetsTheWholeAnswer() throws IOException {
    byte[] data = new byte[3_000_000];
    new Random(1).nextBytes(data);
    try (RunningProxy proxy = proxyTo(echo.address());
        Socket s = connect(proxy)) {
      Thread writer =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      s.getOutputStream().write(data);
                      s.shutdownOutput();
                    } catch (IOException e) {
                      throw new RuntimeException(e);
                    }
                  });
      byte[] got = s.getInputStream().readAllBytes();
      assertThat(Arrays.equals(got, data)).isTrue();
      writer.join(10_000);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void bytesAndEofSentBeforeTheDialCompletesAreKept() throws IOException {
    try (RunningProxy proxy = proxyTo(echo.address());
        Socket s = connect(proxy)) {
      s.getOutputStream().write("early".getBytes(StandardCharsets.US_ASCII));
      s.shutdownOutput();
      assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
          .isEqualTo("early");
    }
  }

  @Test
  void bytesSentRightAfterConnectAreForwardedWithoutWaitingForMore() throws IOException {
    for (int i = 0; i < 20; i++) {
      try (RunningProxy proxy = proxyTo(echo.address());
          Socket s = connect(proxy)) {
        s.getOutputStream().write("early".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(s.getInputStream().readNBytes(5), StandardCharsets.US_ASCII))
            .isEqualTo("early");
      }
    }
  }

  @Test
  void refusedUpstreamClosesTheClient() throws IOException {
    int closedPort;
    try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = gone.getLocalPort();
    }
    try (RunningProxy proxy = proxyTo("127.0.0.1:" + closedPort);
        Socket s = connect(proxy)) {
      InputStream in = s.getInputStream();
      assertThat(readOrReset(in)).isEqualTo(-1);
    }
  }

  @Test
  void listenAddressInUseIsABindException() throws IOException {
    try (RunningProxy first = proxyTo(echo.address())) {
      InetSocketAddress taken = first.localAddress();
      assertThatThrownBy(() -> engine.start(ProxyOptions.tcp("second", taken, echo.address())))
          .isInstanceOf(BindException.class)
          .hasMessageContaining("address already in use");
    }
  }

  @Test
  void nonLoopbackListenNeedsTheFlag() {
    assertThatThrownBy(
            () -> ProxyOptions.tcp("x", new InetSocketAddress("0.0.0.0", 0), echo.address()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("listen: 0.0.0.0 is not a loopback address");
  }

  @Test
  void badUpstreamIsRejected() {
    assertThatThrownBy(() -> ProxyOptions.tcp("x", loopback0(), "nohost"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("upstream: expected host:port (got nohost)");
    assertThatThrownBy(
            () ->
                new ProxyOptions(
                    "x",
                    dev.porthole.sockets.Protocol.TCP,
                    loopback0(),
                    "127.0.0.1:1",
                    false,
                    Duration.ZERO))
        .hasMessageStartingWith("connectTimeout: must be > 0");
  }

  /** Returns the first byte, or -1 for EOF or a reset: both are a clean end for the client. */
  static int readOrReset(InputStream in) throws IOException {
    try {
      return in.read();
    } catch (java.net.SocketException e) {
      return -1;
    }
  }
}
