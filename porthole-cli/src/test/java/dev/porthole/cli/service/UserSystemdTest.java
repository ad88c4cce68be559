package dev.porthole.cli.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

  @Test
  void installStartsTheDaemonUnderSystemdAndUninstallStopsIt() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Path data = Files.createDirectories(dir.resolve("data"));
    try (UserManager systemd = UserManager.start(dir)) {
      UserPorthole.Run install =
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

      UserPorthole.Run status = porthole(systemd, "service", "status", "--json");
      assertThat(status.exit()).as(status.toString()).isZero();
      assertThat(status.out()).contains("\"installed\" : true").contains("\"systemd\" : true");

      UserPorthole.Run uninstall = porthole(systemd, "service", "uninstall");
      assertThat(uninstall.exit()).as(uninstall.toString()).isZero();
      assertThat(unit).doesNotExist();
      assertThat(answersVersion(port, 1)).as("stopped with the unit").isFalse();
      assertThat(systemd.systemctl("is-active", "porthole.service")).isNotZero();
      UserPorthole.Run gone = porthole(systemd, "service", "status");
      assertThat(gone.exit()).isEqualTo(1);
      assertThat(gone.out()).as("a removed unit's state is a word, never blank")
          .contains("enabled: not-found").doesNotContain("enabled: \n");
    }
  }

  private UserPorthole.Run porthole(UserManager systemd, String... args) throws Exception {
    return UserPorthole.run(systemd, dir, args);
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
}
