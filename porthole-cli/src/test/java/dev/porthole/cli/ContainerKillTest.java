package dev.porthole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code kill} on a container's port stops the container; {@code --process} kills docker-proxy. */
@Timeout(180)
@ExtendWith(DockerEngineExtension.class)
class ContainerKillTest {
  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String publish(TestDockerEngine engine, String name, int port) throws Exception {
    return engine.docker(
        "run",
        "-d",
        "--name",
        name,
        "-p",
        "127.0.0.1:" + port + ":80",
        TestDockerEngine.IMAGE,
        "/bin/busybox",
        "httpd",
        "-f",
        "-p",
        "80",
        "-h",
        "/");
  }

  @Test
  void killStopsTheContainerThroughTheEngine(TestDockerEngine engine) throws Exception {
    int port = freePort();
    String id = publish(engine, "attr-kill", port);
    try {
      Run refused = PortholeProcess.run(engine.socket(), "kill", Integer.toString(port));
      assertThat(refused.code()).isEqualTo(2);
      assertThat(refused.err())
          .contains(
              "not on a terminal: pass --yes to stop the container, or --process to kill"
                  + " docker-proxy");

      Run r =
          PortholeProcess.run(
              engine.socket(), "kill", Integer.toString(port), "--yes", "--grace", "1s");
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out())
          .contains("for container attr-kill")
          .contains(
              "container attr-kill ("
                  + id.substring(0, 12)
                  + "): stopped through the Docker engine");
      assertThat(engine.docker("inspect", "-f", "{{.State.Running}}", id)).isEqualTo("false");
      assertThat(PortholeProcess.run(engine.socket(), "who", Integer.toString(port)).code())
          .isEqualTo(1);
    } finally {
      engine.docker("rm", "-f", id);
    }
  }

  @Test
  void processFlagKillsDockerProxyAndLeavesTheContainerRunning(TestDockerEngine engine)
      throws Exception {
    int port = freePort();
    String id = publish(engine, "attr-keep", port);
    try {
      Run r =
          PortholeProcess.run(
              engine.socket(),
              "kill",
              Integer.toString(port),
              "--process",
              "--yes",
              "--grace",
              "1s",
              "--json");
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).contains("\"name\" : \"docker-proxy\"");
      assertThat(engine.docker("inspect", "-f", "{{.State.Running}}", id)).isEqualTo("true");
    } finally {
      engine.docker("rm", "-f", id);
    }
  }
}
