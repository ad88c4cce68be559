package dev.porthole.proxy;

import static dev.porthole.proxy.TcpProxyTest.loopback0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.porthole.sockets.Protocol;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs UDP proxies against a UDP echo server on real sockets. */
@Timeout(60)
class UdpProxyTest {
  static ProxyEngine engine;
  static DatagramSocket echo;
  static Thread echoThread;

  @BeforeAll
  static void startAll() throws IOException {
    engine = new ProxyEngine();
    echo = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    echoThread =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  byte[] buf = new byte[65536];
                  while (!echo.isClosed()) {
                    try {
                      DatagramPacket p = new DatagramPacket(buf, buf.length);
                      echo.receive(p);
                      echo.send(p);
                    } catch (IOException e) {
                      return;
                    }
                  }
                });
  }

  @AfterAll
  static void stopAll() {
    echo.close();
    engine.close();
  }

  static RunningProxy udpProxy() throws IOException {
    return engine.start(
        new ProxyOptions(
            "udp", Protocol.UDP, loopback0(), "127.0.0.1:" + echo.getLocalPort(), false, null));
  }

  static String roundTrip(DatagramSocket client, RunningProxy proxy, String text)
      throws IOException {
    byte[] data = text.getBytes(StandardCharsets.US_ASCII);
    client.send(new DatagramPacket(data, data.length, proxy.localAddress()));
    DatagramPacket reply = new DatagramPacket(new byte[1000], 1000);
    client.receive(reply);
    return new String(reply.getData(), 0, reply.getLength(), StandardCharsets.US_ASCII);
  }

  @Test
  void forwardsDatagramsBothWaysPerClientSession() throws IOException {
    try (RunningProxy proxy = udpProxy();
        DatagramSocket a = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        DatagramSocket b = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      a.setSoTimeout(5_000);
      b.setSoTimeout(5_000);
      assertThat(roundTrip(a, proxy, "one")).isEqualTo("one");
      assertThat(roundTrip(b, proxy, "two")).isEqualTo("two");
      assertThat(roundTrip(a, proxy, "three")).isEqualTo("three");
      assertThat(proxy.stats().connectionsOpen()).isEqualTo(2);
    }
  }

  @Test
  void idleSessionsExpire() throws Exception {
    try (RunningProxy proxy = udpProxy();
        DatagramSocket a = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      ((UdpProxy) proxy).idleTimeout(Duration.ofMillis(200));
      a.setSoTimeout(5_000);
      roundTrip(a, proxy, "x");
      for (int i = 0; i < 200 && proxy.stats().connectionsOpen() > 0; i++) {
        Thread.sleep(25);
      }
      assertThat(proxy.stats().connectionsOpen()).isZero();
      assertThat(roundTrip(a, proxy, "again")).isEqualTo("again");
    }
  }

  @Test
  void lossDropsDatagrams() throws IOException {
    try (RunningProxy proxy = udpProxy();
        DatagramSocket a = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      proxy.toxics(
          List.of(ToxicSpec.of("loss", "loss", Direction.UPSTREAM, Map.of("probability", 1.0))));
      a.setSoTimeout(300);
      assertThatThrownBy(() -> roundTrip(a, proxy, "gone"))
          .isInstanceOf(SocketTimeoutException.class);
    }
  }

  @Test
  void latencyAndDuplicateApplyPerDatagram() throws IOException {
    try (RunningProxy proxy = udpProxy();
        DatagramSocket a = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      proxy.toxics(
          List.of(
              ToxicSpec.of("lat", "latency", Direction.DOWNSTREAM, Map.of("latency", 200L)),
              ToxicSpec.of("dup", "duplicate", Direction.DOWNSTREAM, Map.of("probability", 1.0))));
      a.setSoTimeout(5_000);
      long start = System.nanoTime();
      assertThat(roundTrip(a, proxy, "hi")).isEqualTo("hi");
      assertThat((System.nanoTime() - start) / 1_000_000).isBetween(190L, 3_000L);
      DatagramPacket copy = new DatagramPacket(new byte[100], 100);
      a.receive(copy);
      assertThat(new String(copy.getData(), 0, copy.getLength(), StandardCharsets.US_ASCII))
          .isEqualTo("hi");
    }
  }

  @Test
  void streamToxicsAreRefusedOnUdp() throws IOException {
    try (RunningProxy proxy = udpProxy()) {
      assertThatThrownBy(
              () ->
                  proxy.toxics(
                      List.of(
                          ToxicSpec.of(
                              "s",
                              "slicer",
                              Direction.UPSTREAM,
                              Map.of("average_size", 10L)))))
          .hasMessage("slicer: not supported on udp proxies");
    }
  }
}
