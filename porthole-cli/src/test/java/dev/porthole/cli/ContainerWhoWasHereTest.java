package dev.porthole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check} on a port whose container exited says so, from the real Docker engine the tests
 * start once: the container's name, image, exit code and the last lines of its log.
 */
@Timeout(180)
@ExtendWith(DockerEngineExtension.class)
class ContainerWhoWasHereTest {
  @TempDir Path dir;

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void checkOnThePortOfAnExitedContainerShowsItsExitCodeAndLastLogLines(TestDockerEngine engine)
      throws Exception {
    int port = freePort();
    StringBuilder script = new StringBuilder();
    for (int i = 1; i <= 25; i++) {
      script.append("echo line ").append(i).append("; ");
    }
    // stdout and stderr are copied into the log separately: a pause orders the last line.
    script.append("sleep 1; echo 'cannot open database: no such file' >&2; exit 3");
    String id =
        engine.docker(
            "run",
            "-d",
            "--name",
            "gone-web",
            "-p",
            "127.0.0.1:" + port + ":80",
            TestDockerEngine.IMAGE,
            "/bin/busybox",
            "sh",
            "-c",
            script.toString());
    try {
      engine.docker("wait", id);
      Run run =
          PortholeProcess.run(
              engine.socket(),
              "check",
              "127.0.0.1:" + port,
              "--timeout",
              "1s",
              "--data-dir",
              dir.toString());
      assertThat(run.code()).as(run.err()).isEqualTo(1);
      assertThat(run.out())
          .as(run.err())
          .contains("who was here:")
          .containsPattern(
              "- container gone-web \\("
                  + TestDockerEngine.IMAGE
                  + ", "
                  + id.substring(0, 12)
                  + "\\) publishes 127.0.0.1:"
                  + port
                  + "->80/tcp but exited with code 3 at 20\\d\\d-")
          .contains("- its last 20 log lines (docker logs gone-web):")
          .contains("-   line 7\n")
          .contains("-   line 25\n")
          .contains("-   cannot open database: no such file")
          .doesNotContain("-   line 6\n");
      Run json =
          PortholeProcess.run(
              engine.socket(),
              "check",
              "127.0.0.1:" + port,
              "--timeout",
              "1s",
              "--json",
              "--data-dir",
              dir.toString());
      assertThat(json.out()).contains("\"ownerHistory\"", "container gone-web", "line 25");
    } finally {
      engine.docker("rm", "-f", id);
    }
  }
}
