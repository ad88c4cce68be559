package dev.porthole.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Attribution of listeners held by real processes: socat, python, flask and a paused QEMU. */
@Timeout(60)
class RealProcessOriginsTest {
  @TempDir Path temp;

  private Origin originOf(ListenerProcess p) {
    Attributor attributor =
        new Attributor(
            Path.of("/proc"),
            new ContainerLookup(DockerEngine.at(temp.resolve("none.sock"), Duration.ofSeconds(1))));
    return attributor.origin(p.listener().orElseThrow());
  }

  @Test
  void socatForwardNamesItsTarget() throws Exception {
    int port = ListenerProcess.freePort();
    try (ListenerProcess p =
        ListenerProcess.start(
            null,
            port,
            "socat",
            "TCP-LISTEN:" + port + ",bind=127.0.0.1,fork,reuseaddr",
            "TCP:127.0.0.1:9")) {
      Origin o = originOf(p);
      assertThat(o.kind()).isEqualTo("forward");
      assertThat(o.name()).isEqualTo("socat forward to TCP:127.0.0.1:9");
    }
  }

  @Test
  void pythonHttpServerNamesTheDirectoryItServesAndItsProject() throws Exception {
    Path project = Files.createDirectories(temp.resolve("site/public"));
    Files.writeString(temp.resolve("site/pyproject.toml"), "[project]\nname='site'\n");
    int port = ListenerProcess.freePort();
    try (ListenerProcess p =
        ListenerProcess.start(
            project,
            port,
            "python3",
            "-m",
            "http.server",
            "--bind",
            "127.0.0.1",
            Integer.toString(port))) {
      Origin o = originOf(p);
      assertThat(o.kind()).isEqualTo("dev-server");
      assertThat(o.name()).isEqualTo("python http.server");
      assertThat(o.details())
          .containsEntry("directory", project.toRealPath().toString())
          .containsEntry("project", temp.resolve("site").toRealPath().toString())
          .containsEntry("projectFile", "pyproject.toml");
    }
  }

  @Test
  void flaskRunIsAFlaskDevServer() throws Exception {
    Files.writeString(
        temp.resolve("hello.py"),
        "from flask import Flask\n"
            + "app = Flask(__name__)\n"
            + "@app.get('/')\n"
            + "def hi():\n"
            + "  return 'hi'\n");
    Files.writeString(temp.resolve("package.json"), "{}");
    int port = ListenerProcess.freePort();
    try (ListenerProcess p =
        ListenerProcess.start(
            temp,
            port,
            "python3",
            "-m",
            "flask",
            "--app",
            "hello",
            "run",
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(port))) {
      Origin o = originOf(p);
      assertThat(o.name()).isEqualTo("flask");
      assertThat(o.details())
          .containsEntry("app", "hello")
          .containsEntry("project", temp.toRealPath().toString());
    }
  }

  @Test
  void pausedQemuHostForwardGivesTheGuestPort() throws Exception {
    int port = ListenerProcess.freePort();
    try (ListenerProcess p =
        ListenerProcess.start(
            null,
            port,
            "qemu-system-x86_64",
            "-S",
            "-display",
            "none",
            "-name",
            "attr-test",
            "-nic",
            "user,hostfwd=tcp:127.0.0.1:" + port + "-:22")) {
      Origin o = originOf(p);
      assertThat(o.kind()).isEqualTo("vm");
      assertThat(o.name()).isEqualTo("QEMU VM attr-test");
      assertThat(o.details()).containsEntry("guestPort", "22").containsEntry("hypervisor", "qemu");
      assertThat(o.summary()).isEqualTo("QEMU VM attr-test guest port 22");
    }
  }

  @Test
  void plainListenerHasNoOriginAndAMissingEngineIsNotAskedWithoutDockerProxy() throws Exception {
    int port = ListenerProcess.freePort();
    try (ListenerProcess p =
        ListenerProcess.start(
            null,
            port,
            "python3",
            "-c",
            "import socket,time\ns=socket.socket()\ns.bind(('127.0.0.1',"
                + port
                + "))\n"
                + "s.listen()\ntime.sleep(60)")) {
      Attributor attributor =
          new Attributor(
              Path.of("/proc"),
              new ContainerLookup(
                  DockerEngine.at(temp.resolve("none.sock"), Duration.ofSeconds(1))));
      assertThat(attributor.origin(p.listener().orElseThrow())).isNull();
      assertThat(attributor.notes()).isEmpty();
    }
  }
}
