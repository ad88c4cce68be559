package dev.porthole.ports;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The scan through libc and epoll (JDK 22+ on Linux) against the NIO scan, on ports held here. */
@Timeout(60)
class DirectScanTest {
  private static final InetAddress LO = InetAddress.getLoopbackAddress();

  @Test
  void runsWhereTheJdkAndTheSystemAllowIt() {
    boolean linux = System.getProperty("os.name").equals("Linux");
    String arch = System.getProperty("os.arch");
    boolean expected =
        linux
            && Runtime.version().feature() >= 22
            && (arch.equals("amd64") || arch.equals("aarch64"));
    assertThat(DirectScan.available()).isEqualTo(expected);
    if (expected) {
      try (DirectScan scan = DirectScan.open(LO, Duration.ofSeconds(1), () -> 0)) {
        assertThat(scan).isNotNull(); // the Java 22 classes are in the build
      }
    }
  }

  @Test
  void givesTheSameAnswerAsNioOverManyRefusedPortsInARow() throws Exception {
    // 600 bound-but-closed ports (each refuses: the reused socket goes from one to the next) and
    // 40 listeners among them; both scans must name exactly the listeners.
    List<AutoCloseable> held = new ArrayList<>();
    List<Integer> open = new ArrayList<>();
    StringJoiner spec = new StringJoiner(",");
    try {
      for (int i = 0; i < 640; i++) {
        if (i % 16 == 0) {
          ServerSocket s = new ServerSocket(0, 50, LO);
          held.add(s);
          open.add(s.getLocalPort());
          spec.add(String.valueOf(s.getLocalPort()));
        } else {
          Socket s = new Socket();
          s.bind(new InetSocketAddress(LO, 0));
          held.add(s);
          spec.add(String.valueOf(s.getLocalPort()));
        }
      }
      PortSpec ports = PortSpec.parse(spec.toString());
      ScanResult direct =
          new PortScanner(LO, 64, Duration.ofSeconds(2), true).scan(ports, (d, t) -> {});
      ScanResult nio =
          new PortScanner(LO, 64, Duration.ofSeconds(2), false).scan(ports, (d, t) -> {});
      List<Integer> expected = open.stream().sorted().toList();
      assertThat(direct.open()).isEqualTo(expected);
      assertThat(nio.open()).isEqualTo(expected);
      assertThat(direct.scanned()).isEqualTo(nio.scanned()).isEqualTo(640);
      assertThat(direct.filtered()).isZero();
      assertThat(direct.notes()).isEmpty();
    } finally {
      for (AutoCloseable c : held) {
        c.close();
      }
    }
  }

  @Test
  void aConnectThatStaysPendingWaitsOnEpollAndCountsAsFiltered() throws Exception {
    // A listener that never accepts, its queue full: Linux drops further SYNs, so a connect stays
    // in SYN_SENT, the way a firewalled port behaves, without any traffic leaving loopback.
    List<SocketChannel> queued = new ArrayList<>();
    try (ServerSocket full = new ServerSocket(0, 1, LO);
        ServerSocket fine = new ServerSocket(0, 50, LO)) {
      for (int i = 0; i < 8; i++) {
        SocketChannel c = SocketChannel.open();
        c.configureBlocking(false);
        c.connect(new InetSocketAddress(LO, full.getLocalPort()));
        queued.add(c);
      }
      Thread.sleep(200); // the accepted handshakes complete; the queue is full
      PortSpec ports = PortSpec.parse(full.getLocalPort() + "," + fine.getLocalPort());
      ScanResult r = new PortScanner(LO, 8, Duration.ofMillis(400), true).scan(ports, (d, t) -> {});
      assertThat(r.open()).containsExactly(fine.getLocalPort());
      assertThat(r.filtered()).isEqualTo(1);
      assertThat(r.scanned()).isEqualTo(2);
    } finally {
      for (SocketChannel c : queued) {
        c.close();
      }
    }
  }

  @Test
  void connectsFromOneLocalPortOfItsOwnFromPortToPort() throws Exception {
    // The sockets of a share are bound to one local port of their own (so the kernel does not
    // search the ephemeral range for each connect): every listener sees the same remote port,
    // across refused ports and across the open ones, whose sockets close in between.
    List<AutoCloseable> held = new ArrayList<>();
    List<ServerSocket> listeners = new ArrayList<>();
    StringJoiner spec = new StringJoiner(",");
    try {
      for (int i = 0; i < 200; i++) {
        if (i % 50 == 25) {
          ServerSocket s = new ServerSocket(0, 50, LO);
          s.setSoTimeout(5000);
          held.add(s);
          listeners.add(s);
          spec.add(String.valueOf(s.getLocalPort()));
        } else {
          Socket s = new Socket();
          s.bind(new InetSocketAddress(LO, 0));
          held.add(s);
          spec.add(String.valueOf(s.getLocalPort()));
        }
      }
      // Fewer than 1024 ports: one worker, so one share and one local port.
      ScanResult r =
          new PortScanner(LO, 64, Duration.ofSeconds(2), true)
              .scan(PortSpec.parse(spec.toString()), (d, t) -> {});
      assertThat(r.open()).hasSize(listeners.size());
      List<Integer> remotePorts = new ArrayList<>();
      for (ServerSocket s : listeners) {
        try (Socket accepted = s.accept()) {
          remotePorts.add(accepted.getPort());
        }
      }
      assertThat(remotePorts).hasSize(4).containsOnly(remotePorts.get(0));
    } finally {
      for (AutoCloseable c : held) {
        c.close();
      }
    }
  }
}
