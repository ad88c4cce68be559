package dev.porthole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ProxyCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Porthole.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
        .execute(args);
  }

  @Test
  void badToxicIsAUsageError() {
    assertThat(run("proxy", "--listen", "0", "--upstream", "127.0.0.1:1", "--toxic", "slicer"))
        .isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo("porthole proxy: --toxic slicer: slicer: average_size must be > 0 (got 0)\n");
  }

  @Test
  void unknownToxicAttributeIsNamed() {
    assertThat(
            run("proxy", "--listen", "0", "--upstream", "127.0.0.1:1", "--toxic", "latency:lat=3"))
        .isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "porthole proxy: --toxic latency:lat=3: unknown attribute 'lat' (latency has:"
                + " latency, jitter)\n");
  }

  @Test
  void nonLoopbackListenNeedsAllowRemote() {
    assertThat(run("proxy", "--listen", "0.0.0.0:0", "--upstream", "127.0.0.1:1")).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("porthole proxy: --listen 0.0.0.0:0: 0.0.0.0 is not a loopback address");
  }

  @Test
  void badUpstreamIsAUsageError() {
    assertThat(run("proxy", "--listen", "0", "--upstream", "nohost")).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo("porthole proxy: --upstream: expected host:port (got nohost)\n");
  }

  @Test
  void portInUseIsAFailure() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String listen = "127.0.0.1:" + taken.getLocalPort();
      assertThat(run("proxy", "--listen", listen, "--upstream", "127.0.0.1:1")).isEqualTo(3);
      assertThat(err.toString())
          .isEqualTo("porthole proxy: listen " + listen + ": address already in use\n");
    }
  }

  @Test
  void runsUntilStoppedAndPrintsALinePerConnection() throws Exception {
    try (ServerSocket upstream = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      AtomicInteger code = new AtomicInteger(-1);
      Thread proxy =
          Thread.ofPlatform()
              .start(
                  () ->
                      code.set(
                          run(
                              "proxy",
                              "--listen",
                              "127.0.0.1:0",
                              "--upstream",
                              "127.0.0.1:" + upstream.getLocalPort(),
                              "--toxic",
                              "latency:latency=10")));
      String first = awaitOutput("Ctrl-C to stop");
      assertThat(first).contains("(tcp, ");
      assertThat(out.toString()).contains("  toxic latency_downstream latency latency=10 jitter=0");
      int port = Integer.parseInt(first.split(" ")[1].split(":")[1]);
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
          Socket accepted = upstream.accept()) {
        s.getOutputStream().write("hi".getBytes());
        assertThat(accepted.getInputStream().readNBytes(2)).isEqualTo("hi".getBytes());
      }
      awaitOutput("closed");
      proxy.interrupt();
      proxy.join(10_000);
      assertThat(code.get()).isZero();
      assertThat(out.toString()).containsPattern("#1 +127\\.0\\.0\\.1:\\d+ +open");
      assertThat(out.toString()).containsPattern("#1 +127\\.0\\.0\\.1:\\d+ +closed +up 2 B");
    }
  }

  @Test
  void aRefusedUpstreamIsALineNotAnExit() throws Exception {
    int closedPort;
    try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = gone.getLocalPort();
    }
    AtomicInteger code = new AtomicInteger(-1);
    Thread proxy =
        Thread.ofPlatform()
            .start(
                () ->
                    code.set(
                        run("proxy", "--listen", "127.0.0.1:0", "--upstream",
                            "127.0.0.1:" + closedPort)));
    String first = awaitOutput("Ctrl-C to stop");
    int port = Integer.parseInt(first.split(" ")[1].split(":")[1]);
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(5_000);
      assertThat(readOrReset(s)).isEqualTo(-1);
    }
    awaitOutput("failed");
    proxy.interrupt();
    proxy.join(10_000);
    assertThat(code.get()).isZero();
    assertThat(out.toString())
        .containsPattern(
            "#1 +127\\.0\\.0\\.1:\\d+ +failed upstream 127\\.0\\.0\\.1:" + closedPort
                + ": Connection refused");
  }

  private static int readOrReset(Socket s) throws IOException {
    try {
      return s.getInputStream().read();
    } catch (java.net.SocketException e) {
      return -1;
    }
  }

  private String awaitOutput(String text) throws InterruptedException {
    for (int i = 0; i < 400 && !out.toString().contains(text); i++) {
      Thread.sleep(25);
    }
    assertThat(out.toString()).contains(text);
    return out.toString().lines().filter(l -> l.startsWith("proxy ")).findFirst().orElse("");
  }
}
