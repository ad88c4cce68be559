package dev.porthole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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
  private static final Path TUN = Path.of("/dev/net/tun");
  private static Set<PosixFilePermission> tunBefore;
  private static Path image;
  private static int port;
  private static int slirpPort;
  private static int kitPort;

  @BeforeAll
  static void start() throws Exception {
    if (sh("id " + USER).exit != 0) {
      check(sh("useradd -m -s /bin/sh " + USER));
    }
    tunBefore = Files.getPosixFilePermissions(TUN);
    Files.setPosixFilePermissions(TUN, PosixFilePermissions.fromString("rw-rw-rw-"));
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
    try {
      podman("rm -f -t 0 pod-web pod-slirp");
    } finally {
      killUsersProcesses(); // podman's pause process and slirp4netns outlive the container
      sh("userdel -r " + USER);
      if (tunBefore != null) {
        Files.setPosixFilePermissions(TUN, tunBefore);
      }
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
    return sh("su - " + USER + " -c 'podman --storage-driver=vfs " + args + "'");
  }

  private static void killUsersProcesses() throws Exception {
    int uid = Integer.parseInt(sh("id -u " + USER).out.strip());
    for (int round = 0; round < 3; round++) {
      List<ProcessHandle> mine = new ArrayList<>();
      try (var dirs = Files.list(Path.of("/proc"))) {
        for (Path d : dirs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
          try {
            if ((Integer) Files.getAttribute(d, "unix:uid") == uid) {
              ProcessHandle.of(Long.parseLong(d.getFileName().toString())).ifPresent(mine::add);
            }
          } catch (IOException e) {
            // exited meanwhile
          }
        }
      }
      if (mine.isEmpty()) {
        return;
      }
      mine.forEach(ProcessHandle::destroyForcibly);
      Thread.sleep(500);
    }
  }

  private record Result(int exit, String out) {}

  private static void check(Result r) {
    if (r.exit != 0) {
      throw new IllegalStateException("exit " + r.exit + ": " + r.out.strip());
    }
  }

  private static Result sh(String command) throws Exception {
    Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(command + ": no end within 120 s");
    }
    return new Result(p.exitValue(), out);
  }
}
