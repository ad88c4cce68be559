package dev.porthole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Shows listeners' origins in ports, who and info, against a real socat and http.server. */
@Timeout(60)
class OriginColumnsTest {
  @TempDir static Path temp;
  private static Process socat;
  private static Process python;
  private static int socatPort;
  private static int pythonPort;

  @BeforeAll
  static void startListeners() throws Exception {
    socatPort = freePort();
    socat =
        new ProcessBuilder(
                "socat", "TCP-LISTEN:" + socatPort + ",bind=127.0.0.1,fork", "TCP:127.0.0.1:9")
            .start();
    Path www = Files.createDirectories(temp.resolve("app/www"));
    Files.writeString(temp.resolve("app/go.mod"), "module app\n");
    pythonPort = freePort();
    python =
        new ProcessBuilder(
                "python3", "-m", "http.server", "-b", "127.0.0.1", Integer.toString(pythonPort))
            .directory(www.toFile())
            .start();
    waitFor(socatPort);
    waitFor(pythonPort);
  }

  @AfterAll
  static void stop() throws Exception {
    for (Process p : new Process[] {socat, python}) {
      p.destroy();
      p.waitFor(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void portsJsonCarriesAStableOriginObject() throws Exception {
    Cli r = Cli.run("ports", "--port", socatPort + "," + pythonPort, "--json");
    assertThat(r.exit()).isZero();
    JsonNode sockets = new JsonMapper().readTree(r.out()).get("sockets");
    assertThat(sockets).hasSize(2);
    JsonNode forward = sockets.get(socatPort < pythonPort ? 0 : 1).get("origin");
    assertThat(forward.get("kind").asText()).isEqualTo("forward");
    assertThat(forward.get("name").asText()).isEqualTo("socat forward to TCP:127.0.0.1:9");
    assertThat(forward.get("details").get("tool").asText()).isEqualTo("socat");
    JsonNode server = sockets.get(socatPort < pythonPort ? 1 : 0).get("origin");
    assertThat(server.get("kind").asText()).isEqualTo("dev-server");
    assertThat(server.get("details").get("directory").asText())
        .isEqualTo(temp.resolve("app/www").toRealPath().toString());
    assertThat(server.get("details").get("projectFile").asText()).isEqualTo("go.mod");
  }

  @Test
  void portsTableHasAnOriginColumn() {
    Cli r = Cli.run("ports", "--port", Integer.toString(socatPort));
    assertThat(r.out().lines().findFirst().orElseThrow()).endsWith("ORIGIN");
    assertThat(r.out()).contains("socat forward to TCP:127.0.0.1:9");
  }

  @Test
  void whoAndInfoNameTheOrigin() throws Exception {
    Cli who = Cli.run("who", Integer.toString(pythonPort));
    assertThat(who.exit()).isZero();
    assertThat(who.out())
        .contains("python3 (PID " + python.pid())
        .contains("for python http.server dev server in " + temp.resolve("app").toRealPath());
    Cli info = Cli.run("info", Integer.toString(socatPort));
    assertThat(info.out())
        .containsPattern("origin +socat forward to TCP:127.0.0.1:9 \\[tool=socat, listen=");
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void waitFor(int port) throws Exception {
    for (int i = 0; i < 200; i++) { // 10 s
      if (Cli.run("who", Integer.toString(port)).exit() == 0) {
        return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("nothing listens on " + port + " after 10 s");
  }
}
