package dev.porthole.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.porthole.testsupport.EchoServer;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import eu.rekawek.toxiproxy.model.toxic.Latency;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real toxiproxy-java client (what Testcontainers uses) against the daemon. */
@Timeout(60)
class ToxiproxyJavaClientTest {
  @TempDir static Path dataDir;
  static Daemon daemon;
  static EchoServer echo;
  // One client per test: its reset() refreshes every proxy object it handed out, so a proxy
  // another test deleted would make it fail (with Toxiproxy too).
  ToxiproxyClient client;

  @BeforeAll
  static void start() throws IOException {
    daemon = Daemon.start(DaemonConfig.local(0, dataDir).withToxiproxyPort(0));
    echo = new EchoServer();
  }

  @org.junit.jupiter.api.BeforeEach
  void newClient() {
    client = new ToxiproxyClient("127.0.0.1", daemon.toxiproxyPort());
  }

  @AfterAll
  static void stop() throws IOException {
    daemon.close();
    echo.close();
  }

  @Test
  void createToxicsUpdateEnableDisableReset() throws IOException {
    Proxy proxy = client.createProxy("java", "127.0.0.1:0", echo.address());
    assertThat(proxy.isEnabled()).isTrue();
    assertThat(proxy.getListen()).matches("127\\.0\\.0\\.1:\\d+");
    String listen = proxy.getListen();
    assertThat(EchoServer.roundTrip(listen, "hi")).isEqualTo("hi");

    Latency latency = proxy.toxics().latency("lag", ToxicDirection.DOWNSTREAM, 50);
    latency.setJitter(7);
    latency.setToxicity(0.25f);
    Latency read = client.getProxy("java").toxics().get("lag", Latency.class);
    assertThat(read.getLatency()).isEqualTo(50);
    assertThat(read.getJitter()).isEqualTo(7);
    assertThat(read.getToxicity()).isEqualTo(0.25f);
    assertThat(read.getStream()).isEqualTo(ToxicDirection.DOWNSTREAM);
    proxy.toxics().resetPeer("reset", ToxicDirection.UPSTREAM, 100);
    assertThat(proxy.toxics().getAll())
        .extracting(t -> t.getName())
        .containsExactly("reset", "lag");

    proxy.disable();
    assertThat(client.getProxy("java").isEnabled()).isFalse();
    assertThatThrownBy(() -> EchoServer.roundTrip(listen, "x"))
        .isInstanceOf(ConnectException.class);
    proxy.enable();
    assertThat(client.getProxy("java").isEnabled()).isTrue();

    client.reset();
    assertThat(client.getProxy("java").toxics().getAll()).isEmpty();
    assertThat(EchoServer.roundTrip(listen, "ok")).isEqualTo("ok");

    proxy.setListen("127.0.0.1:0");
    assertThat(client.getProxy("java").getListen()).isNotEqualTo(listen);
    assertThat(client.getProxies()).extracting(Proxy::getName).contains("java");
    proxy.delete();
    assertThat(client.getProxyOrNull("java")).isNull();
  }

  @Test
  void errorsCarryToxiproxysStatusAndMessage() throws IOException {
    client.createProxy("dup", "127.0.0.1:0", echo.address());
    assertThatThrownBy(() -> client.createProxy("dup", "127.0.0.1:0", echo.address()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("409")
        .hasMessageContaining("proxy already exists");
    assertThatThrownBy(() -> client.getProxy("missing"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("404")
        .hasMessageContaining("proxy not found");
    assertThatThrownBy(
            () -> client.getProxy("dup").toxics().slicer("s", ToxicDirection.UPSTREAM, 0, 0))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("400")
        .hasMessageContaining("average_size");
    assertThat(client.version()).contains("2.12.0");
    client.getProxy("dup").delete();
  }

  @Test
  void aTakenOrUnparseableListenIsStillAnErrorTheClientReads() throws IOException {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String taken = "127.0.0.1:" + busy.getLocalPort();
      assertThatThrownBy(() -> client.createProxy("busy", taken, echo.address()))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("[409]")
          .hasMessageContaining("listen tcp " + taken + ": bind: address already in use");
    }
    assertThatThrownBy(() -> client.createProxy("bad", "local373", echo.address()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("[400]")
        .hasMessageContaining("missing port in address");
  }
}
