package dev.porthole.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The Engine API client's answers and one-line failures, against fake engines on unix sockets. */
@Timeout(30)
class DockerEngineTest {
  private static final String LIST =
      "[{\"Id\":\"91108ea15578a857af8c4c39a655b12ae5618dce58859916ddd28236f49195ee\","
          + "\"Names\":[\"/db\"],\"Image\":\"postgres:16\",\"Labels\":{"
          + "\"com.docker.compose.project\":\"shop\",\"com.docker.compose.service\":\"db\"},"
          + "\"Ports\":[{\"IP\":\"127.0.0.1\",\"PrivatePort\":5432,\"PublicPort\":15432,"
          + "\"Type\":\"tcp\"}],\"NetworkSettings\":{\"Networks\":{\"bridge\":{"
          + "\"IPAddress\":\"172.17.0.2\"}}}}]";

  @TempDir Path temp;

  private DockerEngine engine() {
    return DockerEngine.at(temp.resolve("docker.sock"), Duration.ofMillis(500));
  }

  @Test
  void readsAChunkedContainerListAndJoinsDockerProxyByAddress() throws Exception {
    String chunked =
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            + Integer.toHexString(20)
            + "\r\n"
            + LIST.substring(0, 20)
            + "\r\n"
            + Integer.toHexString(LIST.length() - 20)
            + "\r\n"
            + LIST.substring(20)
            + "\r\n"
            + "0\r\n\r\n";
    try (FakeEngine fake = new FakeEngine(temp.resolve("docker.sock"), chunked)) {
      ContainerLookup lookup = new ContainerLookup(engine());
      Origin o =
          lookup.name(new DockerProxyArgs("tcp", "127.0.0.1", 15432, "172.17.0.2", 5432), null);
      assertThat(o.name()).isEqualTo("db");
      assertThat(o.details())
          .containsEntry("id", "91108ea15578")
          .containsEntry("image", "postgres:16")
          .containsEntry("composeProject", "shop")
          .containsEntry("composeService", "db")
          .containsEntry("containerPort", "5432/tcp");
      assertThat(o.summary())
          .isEqualTo("container db (postgres:16, compose shop/db) port 5432/tcp");
      assertThat(lookup.containers().getFirst().ports())
          .containsExactly("127.0.0.1:15432->5432/tcp");
      assertThat(lookup.notes()).isEmpty();
    }
  }

  @Test
  void noEngineSaysSoAndKeepsTheAddress() throws Exception {
    ContainerLookup lookup = new ContainerLookup(engine());
    Origin fallback = Origin.of(OriginKind.CONTAINER, "at 172.17.0.2");
    Origin o = lookup.name(new DockerProxyArgs("tcp", null, 8080, "172.17.0.2", 80), fallback);
    assertThat(o.name()).isEqualTo("at 172.17.0.2");
    assertThat(lookup.notes())
        .containsExactly(
            "container names unknown: no Docker engine here: "
                + temp.resolve("docker.sock")
                + " does not exist");
    assertThat(DockerEngine.fromHost("tcp://10.0.0.1:2375").socket()).isNull();
    assertThatThrownBy(() -> DockerEngine.fromHost("tcp://10.0.0.1:2375").containers())
        .hasMessage("DOCKER_HOST=tcp://10.0.0.1:2375 is not a unix:// socket; only those are read");
  }

  @Test
  void aStaleSocketIsRefused() throws Exception {
    try (var bound =
        java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      bound.bind(java.net.UnixDomainSocketAddress.of(temp.resolve("docker.sock")));
    } // the file stays, nobody listens: what a crashed engine leaves
    assertThatThrownBy(() -> engine().containers())
        .hasMessage(
            "no Docker engine answers on " + temp.resolve("docker.sock") + " (a stale socket)");
  }

  @Test
  void garbageTimeoutsAndErrorsAreOneLineReasons() throws Exception {
    String where = "the Docker engine on " + temp.resolve("docker.sock");
    try (FakeEngine fake = new FakeEngine(temp.resolve("docker.sock"), "SSH-2.0-OpenSSH\r\n")) {
      assertThatThrownBy(() -> engine().containers())
          .isInstanceOf(EngineException.class)
          .hasMessage(where + " sent garbage: not an HTTP answer: 'SSH-2.0-OpenSSH'");
    }
    Files.delete(temp.resolve("docker.sock"));
    try (FakeEngine fake = new FakeEngine(temp.resolve("docker.sock"), null)) {
      assertThatThrownBy(() -> engine().containers())
          .hasMessage(where + " did not answer: no complete answer within 500 ms");
    }
    Files.delete(temp.resolve("docker.sock"));
    String error =
        "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 22\r\n\r\n{\"message\":\"db down\"}";
    try (FakeEngine fake = new FakeEngine(temp.resolve("docker.sock"), error)) {
      assertThatThrownBy(() -> engine().containers()).hasMessage(where + " answered 500: db down");
    }
    Files.delete(temp.resolve("docker.sock"));
    String notJson = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
    try (FakeEngine fake = new FakeEngine(temp.resolve("docker.sock"), notJson)) {
      assertThatThrownBy(() -> engine().containers()).hasMessage(where + " sent garbage: not JSON");
    }
  }

  @Test
  void aSocketWithoutPermissionSaysWhy() throws Exception {
    // Root passes file permissions, so the probe runs as root without CAP_DAC_OVERRIDE: then a
    // socket owned by nobody with mode 600 refuses it exactly as it refuses a user outside the
    // docker group.
    Path socket = temp.resolve("docker.sock");
    try (FakeEngine fake = new FakeEngine(socket, "HTTP/1.1 200 OK\r\n\r\n[]")) {
      UserPrincipal nobody =
          socket.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
      Files.setOwner(socket, nobody);
      Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process p =
          new ProcessBuilder(
                  List.of(
                      "setpriv",
                      "--bounding-set",
                      "-dac_override,-dac_read_search",
                      java,
                      "-cp",
                      System.getProperty("java.class.path"),
                      EngineProbe.class.getName(),
                      socket.toString()))
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes()).strip();
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(out)
          .isEqualTo(
              "cannot use "
                  + socket
                  + ": permission denied (join its group, usually docker, or"
                  + " use sudo)");
    }
  }
}
