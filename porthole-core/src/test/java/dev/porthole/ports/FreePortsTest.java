package dev.porthole.ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class FreePortsTest {
  private static final EphemeralRange NONE_NEAR = new EphemeralRange(1024, 1100, true);

  private static FreePorts loopback(boolean udp) throws Exception {
    return new FreePorts(
        List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1")), NONE_NEAR, udp);
  }

  // Other processes on this machine may hold any port number for the other protocol or family, so
  // each test retries until its port is clean apart from what it holds itself.

  @Test
  void aPortHeldOnIpv6OnlyIsNotFree() throws Exception {
    FreePorts v4Only = new FreePorts(List.of(InetAddress.getByName("127.0.0.1")), NONE_NEAR, false);
    boolean checked = false;
    for (int attempt = 0; attempt < 20 && !checked; attempt++) {
      try (ServerSocket v6 = new ServerSocket()) {
        v6.bind(new InetSocketAddress("::1", 0));
        int port = v6.getLocalPort();
        if (v4Only.isFree(port)) {
          assertThat(loopback(false).isFree(port)).isFalse();
          checked = true;
        }
      }
    }
    assertThat(checked).isTrue();
  }

  @Test
  void aPortHeldForUdpIsFreeForTcpOnlyUnlessUdpIsAsked() throws Exception {
    boolean checked = false;
    for (int attempt = 0; attempt < 20 && !checked; attempt++) {
      try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
        int port = udp.getLocalPort();
        if (loopback(false).isFree(port)) {
          assertThat(loopback(true).isFree(port)).isFalse();
          checked = true;
        }
      }
    }
    assertThat(checked).isTrue();
  }

  @Test
  void nearWalksOutwardFromTheWantedPort() throws Exception {
    try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = held.getLocalPort();
      List<Integer> found = loopback(false).find(2, PortRange.UNPRIVILEGED, port);

      assertThat(found)
          .doesNotContain(port)
          .allSatisfy(p -> assertThat(p).isBetween(port - 3, port + 3));
    }
  }

  @Test
  void neverOffersEphemeralOrBrowserBlockedPorts() throws Exception {
    FreePorts finder = loopback(false);

    assertThat(finder.excluded(1050)).isEqualTo("inside the ephemeral range 1024-1100");
    assertThat(finder.excluded(6000)).isEqualTo("blocked by browsers");
    assertThat(finder.find(3, new PortRange(5998, 6002), 6000)).doesNotContain(6000);
    assertThatThrownBy(() -> finder.find(1, new PortRange(1030, 1040), -1))
        .hasMessage(
            "range: 1030-1040 holds no usable port (all inside the ephemeral range"
                + " 1024-1100 or blocked by browsers)");
  }

  @Test
  void readsTheKernelsTabSeparatedRange(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("ip_local_port_range"), "32768\t60999\n");

    assertThat(EphemeralRange.read(file)).isEqualTo(new EphemeralRange(32768, 60999, true));
    assertThat(EphemeralRange.read(dir.resolve("missing"))).isEqualTo(EphemeralRange.LINUX_DEFAULT);
  }

  @Test
  void parsesRangesAndNamesTheBadOne() {
    assertThat(PortRange.parse("8000-8999", "--range")).isEqualTo(new PortRange(8000, 8999));
    assertThat(PortRange.parse(" 3000 ", "--range")).isEqualTo(new PortRange(3000, 3000));
    assertThatThrownBy(() -> PortRange.parse("9-2", "--range"))
        .hasMessage("--range: '9-2' (expected: a port 1-65535 or a range A-B, e.g. 3000-3999)");
    assertThatThrownBy(() -> PortRange.parse("70000", "port"))
        .hasMessageStartingWith("port: '70000' (expected");
    assertThatThrownBy(() -> PortRange.parse("٣٠٠٠-4000", "PORTHOLE_PORT_RANGE"))
        .hasMessageStartingWith("PORTHOLE_PORT_RANGE: '٣٠٠٠-4000' (expected");
    assertThatThrownBy(() -> PortRange.parse(" ", "--port"))
        .hasMessageStartingWith("--port: missing (expected");
    assertThatThrownBy(() -> new PortRange(0, 10))
        .hasMessage("range: 0-10 (expected: 1 <= A <= B <= 65535)");
  }
}
