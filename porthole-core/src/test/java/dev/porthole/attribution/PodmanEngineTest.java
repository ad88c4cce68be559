package dev.porthole.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.porthole.checks.CommandRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@code kill} stops a rootless Podman container: on the REST socket of conmon's
 * XDG_RUNTIME_DIR when it answers (a fake one here, for 304 and 404), else {@code podman stop}; the
 * real container is {@code PodmanRootlessTest}'s. Conmon is a written /proc entry owned by the
 * test's own user, so no runuser.
 */
@Timeout(30)
class PodmanEngineTest {
  @TempDir Path dir;
  private final List<List<String>> commands = new ArrayList<>();

  private PodmanEngine engine(CommandRunner.Output answer) throws Exception {
    Path runtime = Files.createDirectories(dir.resolve("run"));
    Files.createDirectories(dir.resolve("proc/4242"));
    Files.writeString(
        dir.resolve("proc/4242/environ"),
        "HOME=/home/u\0XDG_RUNTIME_DIR=" + runtime + "\0",
        StandardCharsets.UTF_8);
    return new PodmanEngine(
        dir.resolve("proc"),
        c -> {
          commands.add(c);
          return answer;
        },
        4242);
  }

  @Test
  void withoutItsSocketPodmanStopRunsAsTheSameUser() throws Exception {
    PodmanEngine e = engine(new CommandRunner.Output(0, "abc\n", ""));
    assertThat(e.stop("abc", 3)).isTrue();
    assertThat(commands).containsExactly(List.of("podman", "stop", "-t", "3", "abc"));
    assertThat(e.how()).isEqualTo("with podman stop as its user");
  }

  @Test
  void aFailedPodmanStopSaysWhyInOneLine() throws Exception {
    PodmanEngine e =
        engine(new CommandRunner.Output(125, "", "Error: no container with name or ID \"abc\"\n"));
    assertThatThrownBy(() -> e.stop("abc", 1))
        .isInstanceOf(EngineException.class)
        .hasMessage("podman stop failed: Error: no container with name or ID \"abc\"");
  }

  @Test
  void theRestSocketStopsWhenItAnswers() throws Exception {
    PodmanEngine e = engine(new CommandRunner.Output(1, "", "not to be run"));
    Path socket = Files.createDirectories(dir.resolve("run/podman")).resolve("podman.sock");
    try (FakeEngine fake = new FakeEngine(socket, "HTTP/1.1 304 Not Modified\r\n\r\n")) {
      assertThat(e.stop("abc", 1)).as("not running").isFalse();
      assertThat(e.how()).isEqualTo("through Podman's socket");
    }
    Files.delete(socket);
    String notFound =
        "HTTP/1.1 404 Not Found\r\nContent-Length: 29\r\n\r\n{\"cause\":\"no such container\"}";
    try (FakeEngine fake = new FakeEngine(socket, notFound)) {
      assertThatThrownBy(() -> e.stop("abc", 1)).hasMessageStartingWith("Podman answered 404");
    }
    assertThat(commands).isEmpty();
  }
}
