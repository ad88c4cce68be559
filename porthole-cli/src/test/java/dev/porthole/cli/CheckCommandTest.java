package dev.porthole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class CheckCommandTest {
  static HttpServer server;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.createContext(
        "/health",
        exchange -> {
          byte[] body = "healthy".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
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
  void upTargetExitsZeroAndShowsTheSteps() {
    Run run = Run.of("check", "http://127.0.0.1:" + port + "/health");
    assertThat(run.code()).isEqualTo(0);
    assertThat(run.out())
        .contains("connect", "first-byte", "HTTP  200 OK, body 7 bytes")
        .contains("UP  http://127.0.0.1:" + port + "/health answers (via 127.0.0.1)");
  }

  @Test
  void downTargetExitsOneWithTheDiagnosisAndFix() throws Exception {
    // Bound, never listening: refused, and no other process on this machine can take it meanwhile.
    java.net.Socket held = new java.net.Socket();
    held.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
    int free = held.getLocalPort();
    Run run = Run.of("check", "127.0.0.1:" + free);
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out())
        .contains(
            "DOWN  127.0.0.1:"
                + free
                + ": Nothing listens on port "
                + free
                + ".  [NOTHING_LISTENS]")
        .contains("fix: start the service");
    held.close();
  }

  @Test
  void jsonCarriesStepsAndTheDiagnosisCode() throws Exception {
    // Bound, never listening: refused, and no other process on this machine can take it meanwhile.
    java.net.Socket held = new java.net.Socket();
    held.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
    int free = held.getLocalPort();
    Run run = Run.of("check", String.valueOf(free), "--json");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out())
        .contains("\"code\" : \"NOTHING_LISTENS\"", "\"name\" : \"connect\"", "\"up\" : false");
    held.close();
  }

  @Test
  void badTargetIsOneLineAndExitTwo() {
    Run run = Run.of("check", "localhost");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "porthole check: target 'localhost': expected PORT, HOST:PORT, [IPv6]:PORT or a URL\n");
    assertThat(Run.of("check", "99999").err())
        .isEqualTo(
            "porthole check: target '99999': port: 99999 (expected: 1 to 65535)\n");
  }

  @Test
  void badTimeoutIsOneLineAndExitTwo() {
    Run run = Run.of("check", "80", "--timeout", "3");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "porthole check: --timeout: '3' (expected: a duration like 250ms, 30s, 2m, 1h30m, 1d;"
                + " a bare number needs a unit) (see 'porthole check --help')\n");
  }
}
