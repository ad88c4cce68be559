package dev.porthole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real vite dev server from npm (pinned in scripts/test-npm, installed by scripts/test-npm-deps)
 * in a project of the test's own, started from a subdirectory so that the project is found upwards:
 * {@code ports --json} and {@code who} name vite and the nearest package.json's directory.
 */
@Timeout(300)
class ViteOriginTest {
  @TempDir static Path temp;
  private static Process vite;
  private static int port;
  private static Path project;

  @BeforeAll
  static void startVite() throws Exception {
    Path npm = installTestNpm();
    project = temp.resolve("shop");
    Path web = Files.createDirectories(project.resolve("web"));
    Files.writeString(project.resolve("package.json"), "{\"name\":\"shop\",\"private\":true}\n");
    Files.writeString(web.resolve("index.html"), "<!doctype html><title>shop</title>\n");
    // A port free for Java may hold a TIME_WAIT that vite's --strictPort refuses: try another.
    boolean up = false;
    for (int attempt = 0; attempt < 3 && !up; attempt++) {
      up = startedOn(web, npm.resolve("node_modules/.bin/vite"));
    }
    if (!up) {
      throw new IllegalStateException("vite did not listen: " + Files.readString(log()));
    }
  }

  /** Starts vite on a new free port; returns true once porthole sees it listen (60 s at most). */
  private static boolean startedOn(Path web, Path viteBin) throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    vite =
        new ProcessBuilder(
                viteBin.toString(),
                "--port",
                Integer.toString(port),
                "--strictPort",
                "--host",
                "127.0.0.1")
            .directory(web.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log().toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // node starts slowly here
    while (System.nanoTime() < deadline) {
      if (!vite.isAlive()) {
        return false;
      }
      if (Cli.run("who", Integer.toString(port)).exit() == 0) {
        return true;
      }
      Thread.sleep(100);
    }
    stop();
    return false;
  }

  private static Path log() {
    return temp.resolve("vite.log");
  }

  @AfterAll
  static void stop() throws Exception {
    if (vite != null) {
      vite.descendants().forEach(ProcessHandle::destroy);
      vite.destroy();
      vite.waitFor(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void portsJsonNamesViteAndTheProjectOfTheNearestPackageJson() throws Exception {
    Cli r = Cli.run("ports", "--port", Integer.toString(port), "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode socket = new JsonMapper().readTree(r.out()).get("sockets").get(0);
    assertThat(socket.get("process").asText()).isEqualTo("node");
    JsonNode origin = socket.get("origin");
    assertThat(origin.get("kind").asText()).isEqualTo("dev-server");
    assertThat(origin.get("name").asText()).isEqualTo("vite");
    assertThat(origin.get("details").get("framework").asText()).isEqualTo("vite");
    assertThat(origin.get("details").get("project").asText())
        .isEqualTo(project.toRealPath().toString());
    assertThat(origin.get("details").get("projectFile").asText()).isEqualTo("package.json");
  }

  @Test
  void whoSaysViteDevServerInTheProject() throws Exception {
    Cli who = Cli.run("who", Integer.toString(port));
    assertThat(who.exit()).isZero();
    assertThat(who.out()).contains("for vite dev server in " + project.toRealPath());
  }

  /** Runs scripts/test-npm-deps (a no-op once installed) and returns the directory it prints. */
  private static Path installTestNpm() throws Exception {
    Path script = Path.of("").toAbsolutePath().getParent().resolve("scripts/test-npm-deps");
    Process p = new ProcessBuilder(script.toString()).redirectErrorStream(false).start();
    p.getOutputStream().close();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(script + " failed: " + err.strip());
    }
    return Path.of(out.strip());
  }
}
