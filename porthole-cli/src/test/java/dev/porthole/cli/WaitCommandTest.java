package dev.porthole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class WaitCommandTest {
  static HttpServer server;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(
              exchange.getRequestURI().getPath().equals("/ok") ? 200 : 503, -1);
          exchange.close();
        });
    server.start();
    port = server.getAddress().getPort();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  @Test
  void runsTheCommandOnceAllAreUpAndPassesItsExitCode(@TempDir Path dir) {
    Path marker = dir.resolve("ran");
    Run run =
        Run.of(
            "wait",
            String.valueOf(port),
            "http://127.0.0.1:" + port + "/ok",
            "--status",
            "200",
            "--",
            "sh",
            "-c",
            "touch " + marker + "; exit 7");
    assertThat(run.code()).isEqualTo(7);
    assertThat(Files.exists(marker)).isTrue();
  }

  @Test
  void allUpWithoutCommandExitsZero() {
    assertThat(Run.of("wait", "127.0.0.1:" + port).code()).isEqualTo(0);
  }

  @Test
  void timeoutExitsOneWithEachDownTargetsDiagnosis() throws Exception {
    java.net.Socket held = new java.net.Socket();
    held.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
    int free = held.getLocalPort();
    Run run =
        Run.of(
            "wait",
            String.valueOf(port),
            String.valueOf(free),
            "--timeout",
            "600ms",
            "--",
            "false");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .startsWith("wait: timed out after 600ms; 1 of 2 not up:\n")
        .contains("DOWN  " + free + ": Nothing listens on port " + free + ".  [NOTHING_LISTENS]");
    held.close();
  }

  @Test
  void wrongStatusKeepsWaitingAndSaysWhy() {
    Run run =
        Run.of(
            "wait",
            "http://127.0.0.1:" + port + "/starting",
            "--status",
            "200",
            "--timeout",
            "500ms");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("answered 503, expected 200");
  }

  @Test
  void showsProgressOnATerminal() {
    // The launcher tells the JVM that stdout is a terminal through this property.
    System.setProperty("porthole.tty", "true");
    try {
      Run run = Run.of("wait", "127.0.0.1:" + port, "--no-color", "--", "true");
      assertThat(run.code()).isEqualTo(0);
      assertThat(run.err())
          .contains("\r\u001b[Kwaiting ")
          .contains(" 127.0.0.1:" + port + " up")
          .contains("wait: 127.0.0.1:" + port + " up after ");
    } finally {
      System.clearProperty("porthole.tty");
    }
  }

  @Test
  void badInputIsOneLineAndExitTwo() {
    assertThat(Run.of("wait", "1", "--interval", "fast").err())
        .isEqualTo(
            "porthole wait: --interval: 'fast' (expected: a duration like 250ms, 30s, 2m, 1h30m,"
                + " 1d) (see 'porthole wait --help')\n");
    Run status = Run.of("wait", "1", "--status", "200");
    assertThat(status.code()).isEqualTo(2);
    assertThat(status.err())
        .isEqualTo("porthole wait: --status needs an http:// or https:// target\n");
    assertThat(Run.of("wait", "--", "true").code()).isEqualTo(2);
  }
}
