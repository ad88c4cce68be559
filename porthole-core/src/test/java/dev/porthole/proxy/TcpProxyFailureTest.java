package dev.porthole.proxy;

import static dev.porthole.proxy.TcpProxyTest.connect;
import static dev.porthole.proxy.TcpProxyTest.loopback0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.sockets.Protocol;
import dev.porthole.testsupport.EchoServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class TcpProxyFailureTest {
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

  @Test
  void connectTimeoutClosesTheClient() throws Exception {
    // A listener that never accepts, with a full backlog: further SYNs are dropped, so a dial hangs.
    try (ServerSocket blackHole = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      List<Socket> fillers = new ArrayList<>();
      try {
        for (int i = 0; i < 4; i++) {
          Socket f = new Socket();
          try {
            f.connect(blackHole.getLocalSocketAddress(), 200);
          } catch (IOException e) {
            // Backlog full already: enough.
          }
          fillers.add(f);
        }
        String upstream = "127.0.0.1:" + blackHole.getLocalPort();
        ProxyOptions options =
            new ProxyOptions("t", Protocol.TCP, loopback0(), upstream, false, Duration.ofMillis(300));
        try (RunningProxy proxy = engine.start(options);
            Socket s = connect(proxy)) {
          long start = System.nanoTime();
          assertThat(TcpProxyTest.readOrReset(s.getInputStream())).isEqualTo(-1);
          long ms = (System.nanoTime() - start) / 1_000_000;
          assertThat(ms).isBetween(200L, 5_000L);
        }
      } finally {
        for (Socket f : fillers) {
          f.close();
        }
      }
    }
  }

  @Test
  void upstreamResetMidStreamEndsTheClient() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        RunningProxy proxy =
            engine.start(
                ProxyOptions.tcp("t", loopback0(), "127.0.0.1:" + server.getLocalPort()));
        Socket client = connect(proxy)) {
      client.getOutputStream().write(new byte[] {1, 2, 3});
      try (Socket accepted = server.accept()) {
        accepted.getInputStream().readNBytes(3);
        accepted.getOutputStream().write(new byte[] {9});
        accepted.setSoLinger(true, 0);
      }
      InputStream in = client.getInputStream();
      assertThat(in.read()).isEqualTo(9);
      assertThat(TcpProxyTest.readOrReset(in)).isEqualTo(-1);
      waitUntilNoConnections(proxy);
    }
  }

  @Test
  void clientVanishingMidStreamClosesTheUpstream() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        RunningProxy proxy =
            engine.start(
                ProxyOptions.tcp("t", loopback0(), "127.0.0.1:" + server.getLocalPort()))) {
      Socket client = connect(proxy);
      client.getOutputStream().write(new byte[1000]);
      try (Socket accepted = server.accept()) {
        accepted.setSoTimeout(10_000);
        accepted.getInputStream().readNBytes(1000);
        client.setSoLinger(true, 0);
        client.close();
        assertThat(TcpProxyTest.readOrReset(accepted.getInputStream())).isEqualTo(-1);
      }
      waitUntilNoConnections(proxy);
    }
  }

  @Test
  void thousandShortConnectionsLeaveNoFileDescriptor() throws Exception {
    try (RunningProxy proxy = engine.start(ProxyOptions.tcp("t", loopback0(), echo.address()))) {
      roundTrip(proxy); // warm up lazily opened descriptors (epoll, pipes)
      waitUntilNoConnections(proxy);
      long before = openFds();
      for (int i = 0; i < 1000; i++) {
        roundTrip(proxy);
      }
      waitUntilNoConnections(proxy);
      // At least: other programs on the machine may probe a listening port too.
      assertThat(proxy.stats().connectionsTotal()).isGreaterThanOrEqualTo(1001);
      long after = 0;
      for (int i = 0; i < 100; i++) {
        after = openFds();
        if (after <= before + 4) {
          break;
        }
        Thread.sleep(50);
      }
      assertThat(after).isLessThanOrEqualTo(before + 4);
    }
  }

  private static void roundTrip(RunningProxy proxy) throws IOException {
    try (Socket s = connect(proxy)) {
      s.getOutputStream().write(42);
      assertThat(s.getInputStream().read()).isEqualTo(42);
    }
  }

  static void waitUntilNoConnections(RunningProxy proxy) throws InterruptedException {
    for (int i = 0; i < 200 && proxy.stats().connectionsOpen() > 0; i++) {
      Thread.sleep(25);
    }
    assertThat(proxy.stats().connectionsOpen()).isZero();
  }

  private static long openFds() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  static boolean isReset(Exception e) {
    return e instanceof SocketException;
  }
}
