package dev.porthole.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which socket a rootless dockerd is asked on, read from a /proc tree written by the test
 * (dockerd's arguments and environment); the real engine is {@code DockerRootlessTest}'s. No socket
 * exists here, so each answer names the socket it tried in {@code engineSocket} and why it failed.
 */
@Timeout(30)
class RootlessDockerTest {
  private static final String NS = "net:[4026532999]";
  private static final Origin FORWARD =
      Origin.of(OriginKind.FORWARD, "rootlesskit forward into namespace of PID 100 port 8080");

  @TempDir Path proc;

  @Test
  void dockerdsHostOptionComesFirst() throws IOException {
    dockerd(
        List.of("dockerd", "--storage-driver=vfs", "-H", "unix:///srv/engine.sock"),
        "DOCKER_HOST=unix:///other.sock",
        "XDG_RUNTIME_DIR=/run/user/1234");
    assertThat(socketAsked()).isEqualTo("/srv/engine.sock");
  }

  @Test
  void aTcpHostIsPassedOverForDockerHost() throws IOException {
    dockerd(
        List.of("dockerd", "--host=tcp://127.0.0.1:2375"),
        "DOCKER_HOST=unix:///srv/env.sock",
        "XDG_RUNTIME_DIR=/run/user/1234");
    assertThat(socketAsked()).isEqualTo("/srv/env.sock");
  }

  @Test
  void elseTheRuntimeDirectoryOfItsEnvironment() throws IOException {
    dockerd(List.of("dockerd"), "HOME=/home/dev", "XDG_RUNTIME_DIR=/run/user/1234");
    assertThat(socketAsked()).isEqualTo("/run/user/1234/docker.sock");
  }

  @Test
  void elseTheRuntimeDirectoryOfRootlesskitsUser() throws IOException {
    dockerd(List.of("/usr/bin/dockerd"), "HOME=/home/dev");
    assertThat(socketAsked()).isEqualTo("/run/user/4321/docker.sock");
  }

  @Test
  void anEngineThatCannotBeAskedLeavesTheForwardWithWhy() throws IOException {
    dockerd(List.of("dockerd", "-H", "unix:///nonexistent/docker.sock"));
    RootlessDocker docker = rootlessDocker();
    Origin o = docker.describe(FORWARD, NS, 8080, 4321);
    assertThat(o.kind()).isEqualTo("forward");
    assertThat(o.detail("engine")).isEqualTo("docker");
    assertThat(o.detail("engineProblem"))
        .isEqualTo("no Docker engine here: /nonexistent/docker.sock does not exist");
    assertThat(docker.notes())
        .containsExactly(
            "container names unknown: no Docker engine here: /nonexistent/docker.sock does not"
                + " exist");
  }

  @Test
  void aNamespaceWithoutDockerdKeepsTheForward() throws IOException {
    process(100, List.of("sleep", "240"));
    assertThat(rootlessDocker().describe(FORWARD, NS, 8080, 4321)).isSameAs(FORWARD);
  }

  private String socketAsked() {
    return rootlessDocker().describe(FORWARD, NS, 8080, 4321).detail("engineSocket");
  }

  private RootlessDocker rootlessDocker() {
    return new RootlessDocker(proc, new NetNamespaces(proc), new ProcessArgs(proc));
  }

  private void dockerd(List<String> argv, String... env) throws IOException {
    process(100, List.of("sleep", "240")); // the namespace's first process is not dockerd
    Path dir = process(101, argv);
    Files.writeString(dir.resolve("environ"), String.join("\0", env) + "\0");
  }

  private Path process(int pid, List<String> argv) throws IOException {
    Path dir = Files.createDirectories(proc.resolve(Integer.toString(pid)));
    Files.createDirectories(dir.resolve("ns"));
    Files.createSymbolicLink(dir.resolve("ns/net"), Path.of(NS));
    Files.write(
        dir.resolve("cmdline"), (String.join("\0", argv) + "\0").getBytes(StandardCharsets.UTF_8));
    return dir;
  }
}
