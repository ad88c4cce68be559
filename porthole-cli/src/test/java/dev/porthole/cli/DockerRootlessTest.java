package dev.porthole.cli;

import static dev.porthole.cli.TestUser.check;
import static dev.porthole.cli.TestUser.sh;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.porthole.cli.TestUser.Result;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real rootless dockerd ({@code dockerd-rootless.sh} from Debian's docker.io, rootlesskit's
 * builtin port driver) run by a user of the test's own, with a container published on 127.0.0.1:
 * the host socket belongs to rootlesskit, and porthole names the container from that engine's own
 * socket ({@code /run/user/UID/docker.sock}), not the system's (the child's DOCKER_HOST points
 * nowhere). The test makes the user, opens {@code /dev/net/tun} to it for slirp4netns while it
 * runs, and removes the user, its processes, runtime directory and files at the end.
 */
@Timeout(300)
class DockerRootlessTest {
  private static final String USER = "phdockrl";
  private static final String IMAGE = "phbusybox:rootless";
  private static final Path NO_ENGINE = Path.of("/nonexistent/docker.sock");
  private static TestUser user;
  private static Path dir;
  private static Path runtimeDir;
  private static String stateDir;
  private static int port;
  private static int unpublished;
  private static int killPort;

  @BeforeAll
  static void start() throws Exception {
    user = TestUser.create(USER);
    int uid = user.uid();
    runtimeDir = Path.of("/run/user/" + uid);
    check(sh("mkdir -p " + runtimeDir + " && chown " + USER + " " + runtimeDir));
    check(sh("chmod 700 " + runtimeDir));
    dir = Files.createTempDirectory("porthole-rootless-docker");
    check(sh("chmod 777 " + dir));
    check(
        sh(
            "su - "
                + USER
                + " -c 'export PATH=/usr/sbin:/usr/bin:/sbin:/bin XDG_RUNTIME_DIR="
                + runtimeDir
                + " DOCKERD_ROOTLESS_ROOTLESSKIT_PORT_DRIVER=builtin; timeout 280"
                + " /usr/share/docker.io/contrib/dockerd-rootless.sh --storage-driver=vfs"
                + " --data-root="
                + dir.resolve("data")
                + " --exec-root="
                + dir.resolve("exec")
                + " >"
                + dir.resolve("dockerd.log")
                + " 2>&1 &'"));
    awaitEngine();
    importBusybox();
    port = freePort();
    unpublished = freePort();
    killPort = freePort();
    check(
        docker(
            "run -d --name rl-kill -p 127.0.0.1:"
                + killPort
                + ":80 "
                + IMAGE
                + " /bin/busybox httpd -f -p 80 -h /"));
    check(
        docker(
            "run -d --name rl-web --label com.docker.compose.project=shop"
                + " --label com.docker.compose.service=web -p 127.0.0.1:"
                + port
                + ":80 "
                + IMAGE
                + " /bin/busybox httpd -f -p 80 -h /"));
    // A forward the engine did not ask for: rootlesskit's own API, as the user.
    stateDir = stateDir();
    check(
        sh(
            "su - "
                + USER
                + " -c 'rootlessctl --socket "
                + stateDir
                + "/api.sock add-ports 127.0.0.1:"
                + unpublished
                + ":"
                + unpublished
                + "/tcp'"));
  }

  private static void awaitEngine() throws Exception {
    for (int i = 0; i < 120; i++) { // 60 s
      if (Files.exists(runtimeDir.resolve("docker.sock")) && docker("version").exit() == 0) {
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(
        "the rootless dockerd did not answer within 60 s:\n"
            + Files.readString(dir.resolve("dockerd.log")));
  }

  /** Returns the temporary state directory rootlesskit made (dockerd-rootless.sh names none). */
  private static String stateDir() throws Exception {
    String pid = Files.readString(runtimeDir.resolve("docker.pid")).strip();
    for (String kv : Files.readString(Path.of("/proc/" + pid + "/environ")).split("\0")) {
      if (kv.startsWith("ROOTLESSKIT_STATE_DIR=")) {
        return kv.substring("ROOTLESSKIT_STATE_DIR=".length());
      }
    }
    throw new IllegalStateException("dockerd " + pid + " has no ROOTLESSKIT_STATE_DIR");
  }

  private static void importBusybox() throws Exception {
    Path root = Files.createDirectories(dir.resolve("image/bin"));
    Files.copy(Path.of("/bin/busybox"), root.resolve("busybox"));
    Path tar = dir.resolve("image.tar");
    check(sh("tar -C " + dir.resolve("image") + " -cf " + tar + " ."));
    check(docker("import " + tar + " " + IMAGE));
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (runtimeDir != null) {
        docker("rm -f rl-web rl-kill");
      }
    } finally {
      if (user != null) {
        user.remove();
      }
      if (runtimeDir != null) {
        sh("rm -rf " + runtimeDir);
      }
      if (dir != null) {
        sh("rm -rf " + dir);
      }
      if (stateDir != null && stateDir.startsWith("/tmp/rootlesskit")) {
        sh("rm -rf " + stateDir);
      }
    }
  }

  @Test
  void portsNamesTheContainerFromTheRootlessEnginesOwnSocket() throws Exception {
    JsonNode socket = socketOn(port);
    assertThat(socket.get("process").asText()).isEqualTo("rootlesskit");
    assertThat(socket.get("user").asText()).isEqualTo(USER);
    JsonNode origin = socket.get("origin");
    assertThat(origin.get("kind").asText()).isEqualTo("container");
    assertThat(origin.get("name").asText()).isEqualTo("rl-web");
    JsonNode details = origin.get("details");
    assertThat(details.get("engine").asText()).isEqualTo("docker");
    assertThat(details.get("rootless").asText()).isEqualTo("true");
    assertThat(details.get("engineSocket").asText()).isEqualTo(runtimeDir + "/docker.sock");
    assertThat(details.get("via").asText()).isEqualTo("rootlesskit");
    assertThat(details.get("image").asText()).isEqualTo(IMAGE);
    assertThat(details.get("containerPort").asText()).isEqualTo("80/tcp");
    assertThat(details.get("composeProject").asText()).isEqualTo("shop");
    assertThat(details.get("composeService").asText()).isEqualTo("web");
    assertThat(details.get("id").asText()).hasSize(12);

    Run who = PortholeProcess.run(NO_ENGINE, "who", Integer.toString(port));
    assertThat(who.code()).as(who.err()).isZero();
    assertThat(who.out())
        .contains("rootlesskit")
        .contains("for container rl-web (" + IMAGE + ", compose shop/web) port 80/tcp");
  }

  @Test
  void aForwardNoContainerPublishesSaysSoAndNamesTheEngine() throws Exception {
    JsonNode origin = socketOn(unpublished).get("origin");
    assertThat(origin.get("kind").asText()).isEqualTo("forward");
    JsonNode details = origin.get("details");
    assertThat(details.get("guestPort").asText()).isEqualTo(Integer.toString(unpublished));
    assertThat(details.get("engineSocket").asText()).isEqualTo(runtimeDir + "/docker.sock");
    assertThat(details.get("engineProblem").asText())
        .isEqualTo("the rootless engine publishes no container on port " + unpublished);
  }

  @Test
  void killStopsTheContainerThroughTheRootlessEngine() throws Exception {
    Run r = PortholeProcess.run(NO_ENGINE, "kill", Integer.toString(killPort), "--yes");
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out())
        .contains("container rl-kill (")
        .contains("stopped through the Docker engine");
    Result state = docker("inspect -f '{{.State.Running}}' rl-kill");
    assertThat(state.out().strip()).isEqualTo("false");
  }

  private static JsonNode socketOn(int hostPort) throws Exception {
    Run r = PortholeProcess.run(NO_ENGINE, "ports", "--port", Integer.toString(hostPort), "--json");
    assertThat(r.code()).as(r.err()).isZero();
    return new JsonMapper().readTree(r.out()).get("sockets").get(0);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Runs the docker CLI as root against the user's engine (root may use any unix socket). */
  private static Result docker(String args) throws Exception {
    return sh("timeout 60 docker -H unix://" + runtimeDir + "/docker.sock " + args);
  }
}
