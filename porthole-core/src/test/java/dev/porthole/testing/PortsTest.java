package dev.porthole.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Reserves real ports and checks that nothing else can bind or lock them meanwhile. */
@Timeout(60)
class PortsTest {
  static void bind(String address, int port) throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getByName(address), port), 1);
    }
  }

  static boolean hasIpv6() {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void reservedPortBindsNowhereUntilReleased() throws IOException {
    try (PortReservation r = Ports.reserve()) {
      assertThat(r.port()).isBetween(49152, 65535);
      assertThat(r.isHeld()).isTrue();
      assertThatThrownBy(() -> bind("127.0.0.1", r.port())).isInstanceOf(BindException.class);
      if (hasIpv6()) {
        assertThatThrownBy(() -> bind("::1", r.port())).isInstanceOf(BindException.class);
      }
      assertThat(r.release()).isEqualTo(r.port());
      bind("127.0.0.1", r.port());
      assertThat(r.toString()).isEqualTo("PortReservation[" + r.port() + ", released]");
    }
  }

  @Test
  void reservationsNeverRepeatWhileHeld() {
    List<PortReservation> held = new ArrayList<>();
    try {
      Set<Integer> ports = new HashSet<>();
      for (int i = 0; i < 100; i++) {
        PortReservation r = Ports.reserve();
        held.add(r);
        r.release(); // even released, the lock keeps the number ours
        assertThat(ports.add(r.port())).as("port %d handed out twice", r.port()).isTrue();
      }
    } finally {
      held.forEach(PortReservation::close);
    }
  }

  @Test
  void anotherJvmCannotLockAReservedPort() throws Exception {
    try (PortReservation r = Ports.reserve()) {
      assertThat(probe(r.port())).isEqualTo("busy");
      r.close();
      assertThat(probe(r.port())).isEqualTo("locked");
    }
  }

  @Test
  void freePortIsUnlockedAndBindable() throws IOException {
    int port = Ports.freePort();
    assertThat(port).isBetween(49152, 65535);
    bind("127.0.0.1", port);
    assertThat(PortLocks.directory().resolve(port + ".lock")).exists();
  }

  static String probe(int port) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                LockProbe.class.getName(),
                Integer.toString(port))
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
  }
}
