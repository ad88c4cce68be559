package dev.porthole.ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class PortScannerTest {

  @Test
  void findsTheListenersAndNothingElseAmongHeldPorts() throws Exception {
    InetAddress lo = InetAddress.getByName("127.0.0.1");
    // Listeners and bound-but-closed ports, all held by the test: the answer is known exactly
    // even on a machine where other processes listen on random ports.
    List<AutoCloseable> held = new ArrayList<>();
    List<Integer> open = new ArrayList<>();
    StringBuilder spec = new StringBuilder();
    try {
      for (int i = 0; i < 20; i++) {
        if (i % 4 == 0) {
          ServerSocket s = new ServerSocket(0, 50, lo);
          held.add(s);
          open.add(s.getLocalPort());
          spec.append(s.getLocalPort()).append(',');
        } else {
          Socket s = new Socket();
          s.bind(new InetSocketAddress(lo, 0));
          held.add(s);
          spec.append(s.getLocalPort()).append(',');
        }
      }
      PortSpec ports = PortSpec.parse(spec.substring(0, spec.length() - 1));
      List<int[]> progress = new ArrayList<>();
      ScanResult r =
          new PortScanner(lo, 64, Duration.ofSeconds(1))
              .scan(ports, (done, total) -> progress.add(new int[] {done, total}));
      assertThat(r.open()).containsExactlyElementsOf(open.stream().sorted().toList());
      assertThat(r.scanned()).isEqualTo(20);
      assertThat(r.filtered()).isZero();
      assertThat(r.notes()).isEmpty();
      assertThat(progress).isNotEmpty();
      assertThat(progress.get(progress.size() - 1)).containsExactly(20, 20);
    } finally {
      for (AutoCloseable c : held) {
        c.close();
      }
    }
  }

  @Test
  void scansIpv6Loopback() throws Exception {
    InetAddress v6 = InetAddress.getByName("::1");
    try (ServerSocket s = new ServerSocket(0, 50, v6)) {
      ScanResult r =
          new PortScanner(v6, 8, Duration.ofSeconds(1))
              .scan(PortSpec.parse(String.valueOf(s.getLocalPort())), (d, t) -> {});
      assertThat(r.open()).containsExactly(s.getLocalPort());
      assertThat(r.host()).isEqualTo("::1");
    }
  }

  @Test
  void badArgumentsNameTheParameter() throws Exception {
    InetAddress lo = InetAddress.getByName("127.0.0.1");
    assertThatThrownBy(() -> new PortScanner(lo, 2, Duration.ofSeconds(1)))
        .hasMessage("concurrency: 2 (expected: >= 8)");
    assertThatThrownBy(() -> new PortScanner(lo, 8, Duration.ZERO))
        .hasMessage("timeout: PT0S (expected: > 0)");
  }
}
