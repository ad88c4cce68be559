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
 * A real rootless Podman container, run by a user of the test's own, with a port published on
 * 127.0.0.1: the host socket belongs to {@code rootlessport}, and porthole names the container
 * behind it from {@code /proc} (conmon's {@code -n}). The test makes the user (useradd gives it
 * subordinate ids), opens {@code /dev/net/tun} to it for slirp4netns while it runs, and removes the
 * user, its processes and files at the end.
 */
@Timeout(300)
class PodmanRootlessTest {
  private static final String USER = "phpodtest";
  private static TestUser user;
  private static Path image;
  private static int port;
  private static int slirpPort;
  private static int kitPort;

  @BeforeAll
  static void start() throws Exception {
    user = TestUser.create(USER);
    image = Files.createTempDirectory("porthole-podman");
    Files.createDirectories(image.resolve("root/bin"));
    Files.copy(Path.of("/bin/busybox"), image.resolve("root/bin/busybox"));
    check(sh("tar -C " + image.resolve("root") + " -cf " + image.resolve("image.tar") + " ."));
    check(sh("chmod -R a+rwX " + image)); // the user writes rootlesskit's state there
    port = freePort();
    slirpPort = freePort();
    kitPort = freePort();
    check(podman("import " + image.resolve("image.tar") + " phbusybox:test"));
    check(
        podman(
            "run -d --name pod-web -p 127.0.0.1:"
                + port
                + ":80 phbusybox:test /bin/busybox httpd -f -p 80 -h /"));
    // slirp4netns's own port handler: slirp4netns, not rootlessport, holds the host port.
    check(
        podman(
            "run -d --name pod-slirp --network slirp4netns:port_handler=slirp4netns -p 127.0.0.1:"
                + slirpPort
                + ":8080 phbusybox:test /bin/busybox httpd -f -p 8080 -h /"));
    startRootlesskit();
  }

  /** rootlesskit with its builtin port driver, run by the user, a sleep as its child. */
  private static void startRootlesskit() throws Exception {
    Path state = image.resolve("rootlesskit");
    check(
        sh(
            "su - "
                + USER
                + " -c 'timeout 250 rootlesskit --net=slirp4netns --disable-host-loopback"
                + " --port-driver=builtin --state-dir="
                + state
                + " sleep 240 >"
                + image.resolve("rootlesskit.log")
                + " 2>&1 &'"));
    for (int i = 0; i < 200 && !Files.exists(state.resolve("api.sock")); i++) {
      Thread.sleep(50); // 10 s at most
    }
    check(
        sh(
            "su - "
                + USER
                + " -c 'rootlessctl --socket "
                + state.resolve("api.sock")
                + " add-ports 127.0.0.1:"
                + kitPort
                + ":8080/tcp'"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (user == null) {
      return;
    }
    try {
      podman("rm -f -t 0 pod-web pod-slirp pod-kill pod-proc");
    } finally {
      user.remove();
      if (image != null) {
        sh("rm -rf " + image);
      }
    }
  }

  @Test
  void portsNamesThePodmanContainerBehindRootlessport() throws Exception {
    Run r =
        PortholeProcess.run(
            Path.of("/nonexistent/docker.sock"),
            "ports",
            "--port",
            Integer.toString(port),
            "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode socket = new JsonMapper().readTree(r.out()).get("sockets").get(0);
    assertThat(socket.get("process").asText()).isEqualTo("rootlessport");
    assertThat(socket.get("user").asText()).isEqualTo(USER);
    JsonNode origin = socket.get("origin");
    assertThat(origin.get("kind").asText()).isEqualTo("container");
    assertThat(origin.get("name").asText()).isEqualTo("pod-web");
    assertThat(origin.get("details").get("engine").asText()).isEqualTo("podman");
    assertThat(origin.get("details").get("via").asText()).isEqualTo("rootlessport");
    assertThat(origin.get("details").get("containerPort").asText()).isEqualTo("80/tcp");
    assertThat(origin.get("details").get("id").asText()).hasSize(12);
    // From Podman itself (podman ps run as the container's user), not from its database.
    assertThat(origin.get("details").get("image").asText()).isEqualTo("localhost/phbusybox:test");
    assertThat(origin.get("details").get("published").asText())
        .isEqualTo("127.0.0.1:" + port + "->80/tcp");

    Run who = PortholeProcess.run(Path.of("/nonexistent/docker.sock"), "who", "" + port);
    assertThat(who.out())
        .contains("rootlessport")
        .contains("for container pod-web (localhost/phbusybox:test) port 80/tcp");
  }

  @Test
  void slirp4netnsPortHandlerNamesThePodmanContainerAndItsPort() throws Exception {
    JsonNode socket = socketOn(slirpPort);
    assertThat(socket.get("process").asText()).isEqualTo("slirp4netns");
    JsonNode details = socket.get("origin").get("details");
    assertThat(socket.get("origin").get("name").asText()).isEqualTo("pod-slirp");
    assertThat(details.get("via").asText()).isEqualTo("slirp4netns");
    assertThat(details.get("guestPort").asText()).isEqualTo("8080");
    assertThat(details.get("containerPort").asText()).isEqualTo("8080/tcp");
    assertThat(details.get("image").asText()).isEqualTo("localhost/phbusybox:test");
  }

  @Test
  void rootlesskitPortDriverForwardsIntoItsChildsNamespace() throws Exception {
    JsonNode socket = socketOn(kitPort);
    assertThat(socket.get("process").asText()).isEqualTo("rootlesskit");
    String child = Files.readString(image.resolve("rootlesskit/child_pid")).strip();
    JsonNode origin = socket.get("origin");
    assertThat(origin.get("kind").asText()).isEqualTo("forward");
    assertThat(origin.get("name").asText())
        .isEqualTo("rootlesskit forward into namespace of PID " + child + " port 8080");
    assertThat(origin.get("details").get("namespacePid").asText()).isEqualTo(child);
    assertThat(origin.get("details").get("guestPort").asText()).isEqualTo("8080");
  }

  @Test
  void killStopsThePodmanContainerAsItsUser() throws Exception {
    int killPort = freePort();
    runHttpd("pod-kill", killPort);
    Run refused = PortholeProcess.run(Path.of("/nonexistent/docker.sock"), "kill", "" + killPort);
    assertThat(refused.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(refused.err()).contains("pass --yes to stop the container, or --process to kill");

    Run r =
        PortholeProcess.run(
            Path.of("/nonexistent/docker.sock"),
            "kill",
            "" + killPort,
            "--yes",
            "--grace",
            "1s",
            "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode stopped = new JsonMapper().readTree(r.out()).get("containers").get(0);
    assertThat(stopped.get("container").asText()).isEqualTo("pod-kill");
    assertThat(stopped.get("outcome").asText()).isEqualTo("stopped");
    assertThat(stopped.get("detail").asText()).isEqualTo("stopped with podman stop as its user");
    assertThat(podman("ps -a --filter name=pod-kill --format {{.Status}}").out())
        .startsWith("Exited");
    assertThat(portFreed(killPort)).as("port " + killPort + " free after the stop").isTrue();
  }

  @Test
  void killProcessKillsRootlessportAndLeavesTheContainerRunning() throws Exception {
    int procPort = freePort();
    runHttpd("pod-proc", procPort);
    Run r =
        PortholeProcess.run(
            Path.of("/nonexistent/docker.sock"),
            "kill",
            "" + procPort,
            "--process",
            "--yes",
            "--grace",
            "1s",
            "--json");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("\"name\" : \"rootlessport\"");
    assertThat(podman("ps --filter name=pod-proc --format {{.Status}}").out()).startsWith("Up");
  }

  private static void runHttpd(String name, int hostPort) throws Exception {
    check(
        podman(
            "run -d --name "
                + name
                + " -p 127.0.0.1:"
                + hostPort
                + ":80 phbusybox:test /bin/busybox httpd -f -p 80 -h /"));
  }

  /** Returns true once nothing accepts on {@code hostPort}, within 10 s. */
  private static boolean portFreed(int hostPort) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", hostPort)) {
        Thread.sleep(100);
      } catch (IOException e) {
        return true;
      }
    }
    return false;
  }

  private static JsonNode socketOn(int hostPort) throws Exception {
    Run r =
        PortholeProcess.run(
            Path.of("/nonexistent/docker.sock"),
            "ports",
            "--port",
            Integer.toString(hostPort),
            "--json");
    assertThat(r.code()).as(r.err()).isZero();
    return new JsonMapper().readTree(r.out()).get("sockets").get(0);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static Result podman(String args) throws Exception {
    return user.run("podman --storage-driver=vfs " + args);
  }
}
