package dev.porthole.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.porthole.testsupport.EchoServer;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The real toxiproxy-java client against in-process servers, several at once. */
@Timeout(60)
class ToxiproxyServerTest {
  static EchoServer echo;

  @BeforeAll
  static void start() throws IOException {
    echo = new EchoServer();
  }

  @AfterAll
  static void stop() throws IOException {
    echo.close();
  }

  @Test
  void theToxiproxyJavaClientDrivesItUnchanged() throws IOException {
    try (ToxiproxyServer server = ToxiproxyServer.start()) {
      ToxiproxyClient client = new ToxiproxyClient(server.host(), server.port());
      assertThat(client.version()).contains(ProxyRoutes.TOXIPROXY_VERSION);
      // Not on 127.0.0.1: a process scanning its ports would add a connection to the count.
      Proxy proxy = client.createProxy("db", "127.0.0.2:0", echo.address());
      String listen = proxy.getListen();
      assertThat(EchoServer.roundTrip(listen, "hi")).isEqualTo("hi");

      proxy.toxics().latency("lag", ToxicDirection.DOWNSTREAM, 150);
      long start = System.nanoTime();
      assertThat(EchoServer.roundTrip(listen, "slow")).isEqualTo("slow");
      assertThat((System.nanoTime() - start) / 1_000_000).isBetween(140L, 5_000L);

      proxy.disable();
      assertThatThrownBy(() -> EchoServer.roundTrip(listen, "x"))
          .isInstanceOf(ConnectException.class);
      proxy.enable();
      client.reset();
      assertThat(proxy.toxics().getAll()).isEmpty();
      assertThat(server.proxies().get("db").stats().connectionsTotal()).isEqualTo(2);
    }
  }

  @Test
  void severalServersInOneJvmKeepTheirOwnProxies() throws IOException {
    try (ToxiproxyServer a = ToxiproxyServer.start();
        ToxiproxyServer b = ToxiproxyServer.start()) {
      assertThat(a.port()).isNotEqualTo(b.port());
      new ToxiproxyClient(a.host(), a.port()).createProxy("same", "127.0.0.1:0", echo.address());
      Proxy inB =
          new ToxiproxyClient(b.host(), b.port())
              .createProxy("same", "127.0.0.1:0", echo.address());
      assertThat(a.proxies().list()).hasSize(1);
      assertThat(b.proxies().list()).hasSize(1);
      a.close();
      assertThat(EchoServer.roundTrip(inB.getListen(), "still")).isEqualTo("still");
    }
  }

  @Test
  void closeStopsTheApiAndTheProxies() throws IOException {
    ToxiproxyServer server = ToxiproxyServer.start();
    String listen =
        new ToxiproxyClient(server.host(), server.port())
            .createProxy("p", "127.0.0.1:0", echo.address())
            .getListen();
    server.close();
    server.close();
    assertThatThrownBy(() -> EchoServer.roundTrip(listen, "x"))
        .isInstanceOf(ConnectException.class);
    assertThatThrownBy(() -> new ToxiproxyClient(server.host(), server.port()).version())
        .isInstanceOf(IOException.class);
  }

  @Test
  void aTakenPortIsOneLine() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> ToxiproxyServer.start(taken.getLocalPort()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("cannot listen on http://127.0.0.1:" + taken.getLocalPort());
    }
  }
}
