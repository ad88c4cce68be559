package dev.porthole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.ports.BrowserPorts;
import dev.porthole.ports.EphemeralRange;
import dev.porthole.ports.FreePorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs {@code free} while the test holds ports on IPv4 only and on IPv6 only. */
@Timeout(60)
class FreeCommandTest {
  private final List<ServerSocket> held = new ArrayList<>();

  @AfterEach
  void release() throws IOException {
    for (ServerSocket s : held) {
      s.close();
    }
  }

  private boolean hold(String address, int port) {
    try {
      ServerSocket s = new ServerSocket();
      s.bind(new InetSocketAddress(InetAddress.getByName(address), port), 1);
      held.add(s);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Returns a port P where P and P+1 are held (IPv4 only, IPv6 only) and P+2 is free. */
  private int holdTwoOfThree() {
    FreePorts probe = FreePorts.loopback();
    for (int attempt = 0; attempt < 200; attempt++) {
      int p = 49152 + ThreadLocalRandom.current().nextInt(65535 - 49152 - 2);
      boolean usable =
          probe.excluded(p) == null
              && probe.excluded(p + 1) == null
              && probe.excluded(p + 2) == null;
      if (usable && probe.isFree(p + 2) && hold("127.0.0.1", p)) {
        if (hold("::1", p + 1)) {
          return p;
        }
      }
    }
    throw new IllegalStateException("found no three usable ports in 200 attempts");
  }

  @Test
  void neverReturnsAPortHeldOnIpv4OnlyOrIpv6Only() {
    int p = holdTwoOfThree();

    Cli run = Cli.run("free", "--range", p + "-" + (p + 2), "--count", "1");
    Cli nearHeld = Cli.run("free", "--near", Integer.toString(p), "--range", p + "-" + (p + 2));

    assertThat(run.exit()).isZero();
    assertThat(run.out()).isEqualTo((p + 2) + "\n");
    assertThat(nearHeld.out()).isEqualTo((p + 2) + "\n");
  }

  @Test
  void saysHowManyItFoundWhenTheRangeIsTooSmall() {
    int p = holdTwoOfThree();

    Cli run = Cli.run("free", "--range", p + "-" + (p + 2), "--count", "2");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err())
        .isEqualTo(
            "porthole free: only 1 of 2 free port(s) in "
                + p
                + "-"
                + (p + 2)
                + " on 127.0.0.1 and ::1\n");
  }

  @Test
  void returnsDistinctDynamicPortsOutsideTheEphemeralRangeThatBindOnBothFamilies()
      throws Exception {
    Cli run = Cli.run("free", "--count", "5");

    assertThat(run.exit()).isZero();
    List<Integer> ports = run.out().lines().map(Integer::parseInt).toList();
    EphemeralRange ephemeral = EphemeralRange.system();
    assertThat(ports).hasSize(5).doesNotHaveDuplicates();
    assertThat(ports)
        .allSatisfy(
            port -> {
              assertThat(port).isBetween(49152, 65535);
              assertThat(ephemeral.contains(port)).isFalse();
              assertThat(BrowserPorts.blocked(port)).isFalse();
              assertThat(hold("127.0.0.1", port)).isTrue();
              assertThat(hold("::1", port)).isTrue();
            });
  }

  @Test
  void nearPrefersTheNearestFreePortAndSkipsBrowserBlockedOnes() {
    Cli run = Cli.run("free", "--near", "6000", "--count", "3", "--json");

    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("\"addresses\" : [ \"127.0.0.1\", \"::1\" ]");
    // 6000 is blocked by browsers: never offered even when free.
    assertThat(run.out()).doesNotContain(" 6000,").doesNotContain("[ 6000");
  }

  @Test
  void rejectsBadInputInOneLine() {
    Cli range = Cli.run("free", "--range", "9-2");
    Cli count = Cli.run("free", "--count", "0");
    Cli host = Cli.run("free", "--host", "example.com");

    assertThat(range.exit()).isEqualTo(2);
    assertThat(range.err())
        .isEqualTo(
            "porthole free: --range: '9-2' (expected: a port 1-65535 or a range A-B, e.g."
                + " 3000-3999)\n");
    assertThat(count.exit()).isEqualTo(2);
    assertThat(count.err()).isEqualTo("porthole free: --count: 0 (expected: 1-1000)\n");
    assertThat(host.exit()).isEqualTo(2);
    assertThat(host.err())
        .isEqualTo("porthole free: host: 'example.com' (expected: an IP address or localhost)\n");
  }

  @Test
  void refusesARangeInsideTheEphemeralRange() {
    EphemeralRange e = EphemeralRange.system();
    String inside = e.first() + "-" + Math.min(e.last(), e.first() + 10);

    Cli run = Cli.run("free", "--range", inside);

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "porthole free: range: "
                + inside
                + " holds no usable port (all"
                + " inside the ephemeral range "
                + e.first()
                + "-"
                + e.last()
                + " or blocked by browsers)\n");
  }
}
