package dev.porthole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class ScanCommandTest {

  @Test
  void openPortsAreJoinedWithTheirOwner() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      int port = s.getLocalPort();
      Run run = Run.of("scan", "127.0.0.1", String.valueOf(port));
      assertThat(run.code()).as(run.err()).isEqualTo(0);
      assertThat(run.out())
          .containsPattern(
              "(?m)^ *"
                  + port
                  + "  127\\.0\\.0\\.1:"
                  + port
                  + " +"
                  + ProcessHandle.current().pid()
                  + "  java")
          .contains("1 open of 1 ports on 127.0.0.1 in ");
      Run json = Run.of("scan", "localhost", port + "," + port, "--json");
      assertThat(json.out())
          .contains(
              "\"port\" : " + port,
              "\"pid\" : " + ProcessHandle.current().pid(),
              "\"scanned\" : 1");
    }
  }

  @Test
  void wholeDefaultRangeFinishes() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      Run run = Run.of("scan", "--json");
      assertThat(run.code()).as(run.err()).isEqualTo(0);
      // The whole range, and the held port joined with its owner.
      assertThat(run.out())
          .contains("\"scanned\" : 65535")
          .containsPattern(
              "\"port\" : "
                  + s.getLocalPort()
                  + ",\\s+\"bind\" : \"127\\.0\\.0\\.1:"
                  + s.getLocalPort()
                  + "\",\\s+\"pid\" : "
                  + ProcessHandle.current().pid());
    }
  }

  @Test
  void showsAProgressBarOnATerminal() {
    System.setProperty("porthole.tty", "true");
    try {
      Run run = Run.of("scan", "127.0.0.1", "1-4096", "--no-color");
      assertThat(run.code()).isEqualTo(0);
      assertThat(run.err()).contains("\r\u001b[Kscanning [").contains("] 100%");
    } finally {
      System.clearProperty("porthole.tty");
    }
  }

  @Test
  void remoteHostNeedsTheFlag() {
    Run run = Run.of("scan", "192.0.2.1", "80");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "porthole scan: host 192.0.2.1 is not loopback; scanning another machine needs"
                + " --allow-remote\n");
  }

  @Test
  void badPortsAreOneLineAndExitTwo() {
    Run run = Run.of("scan", "127.0.0.1", "80-70");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo("porthole scan: ports '80-70': range 80-70 ends below its start\n");
  }

  @Test
  void adaptsWhenShortOfFileDescriptors() throws Exception {
    // In a private namespace: 400 dropped ports keep connects in flight, and a low fd limit makes
    // the scanner run short of descriptors; it must lower its concurrency and still finish.
    // 9000 ports: enough for the native fast path to be used as well as the NIO one.
    Run run =
        Namespace.run(
            String.join(
                "\n",
                Namespace.listener(5500),
                "iptables -A INPUT -p tcp --dport 5000:5399 -j DROP",
                "ulimit -n 200"),
            "scan",
            "127.0.0.1",
            "1-9000",
            "--timeout",
            "300ms",
            "--concurrency",
            "4096",
            "--json");
    assertThat(run.code()).as(run.err()).isEqualTo(0);
    assertThat(run.out())
        .contains(
            "\"scanned\" : 9000",
            "\"filtered\" : 400",
            "\"port\" : 5500",
            "\"process\" : \"socat\"")
        .contains("short of file descriptors (Too many open files): concurrency");
  }
}
