package dev.porthole.cli.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.cli.Porthole;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code porthole service install|status|uninstall} against a real systemd user manager: the unit
 * is written, enabled and started, the daemon it runs answers, and uninstall stops it.
 */
@Timeout(180)
class UserSystemdTest {
  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  @Test
  void installStartsTheDaemonUnderSystemdAndUninstallStopsIt() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Path data = Files.createDirectories(dir.resolve("data"));
    try (UserManager systemd = UserManager.start(dir)) {
      Run install =
          porthole(
              systemd,
              "service",
              "install",
              "--",
              "--port",
              "" + port,
              "--data-dir",
              "" + data,
              "--no-router",
              "--no-watch");
      assertThat(install.exit()).as(install + "\n" + systemd.log()).isZero();
      Path unit = Path.of(systemd.env().get("XDG_CONFIG_HOME"), "systemd/user/porthole.service");
      assertThat(install.out())
          .contains("wrote " + unit)
          .contains("systemctl --user daemon-reload")
          .contains("systemctl --user enable --now porthole.service");
      assertThat(answersVersion(port, 60)).as("the unit's daemon answers /version").isTrue();

      Run status = porthole(systemd, "service", "status", "--json");
      assertThat(status.exit()).as(status.toString()).isZero();
      assertThat(status.out()).contains("\"installed\" : true").contains("\"systemd\" : true");

      Run uninstall = porthole(systemd, "service", "uninstall");
      assertThat(uninstall.exit()).as(uninstall.toString()).isZero();
      assertThat(unit).doesNotExist();
      assertThat(answersVersion(port, 1)).as("stopped with the unit").isFalse();
      assertThat(systemd.systemctl("is-active", "porthole.service")).isNotZero();
      Run gone = porthole(systemd, "service", "status");
      assertThat(gone.exit()).isEqualTo(1);
      assertThat(gone.out()).as("a removed unit's state is a word, never blank")
          .contains("enabled: not-found").doesNotContain("enabled: \n");
    }
  }

  /**
   * Runs porthole in a child JVM that sees the manager's XDG folders; the unit it writes runs a
   * launcher script of this test, as a unit from ./porthole runs ./porthole.
   */
  private Run porthole(UserManager systemd, String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("java.class.path");
    Path launcher = dir.resolve("porthole");
    if (!Files.exists(launcher)) {
      Files.writeString(
          launcher,
          "#!/bin/sh\nexec '"
              + java
              + "' -cp '"
              + classpath
              + "' "
              + Porthole.class.getName()
              + " \"$@\"\n");
      Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-Dporthole.launcher=" + launcher,
                "-cp",
                classpath,
                Porthole.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(systemd.env());
    pb.environment().put("NO_COLOR", "1");
    Process p = pb.start();
    p.getOutputStream().close();
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    String out = read(p.getInputStream());
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("porthole " + String.join(" ", args) + ": no end in 60 s");
    }
    return new Run(p.exitValue(), out, err.join());
  }

  private static boolean answersVersion(int port, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    try (HttpClient client =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
      HttpRequest get =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/version"))
              .timeout(Duration.ofSeconds(5))
              .build();
      do {
        try {
          if (client.send(get, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
            return true;
          }
        } catch (IOException e) {
          // not listening yet (or any more)
        }
        Thread.sleep(250);
      } while (System.nanoTime() < deadline);
    }
    return false;
  }

  private static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
