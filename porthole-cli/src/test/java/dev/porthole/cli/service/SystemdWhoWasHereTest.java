package dev.porthole.cli.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.ports.FreePorts;
import dev.porthole.ports.PortRange;
import dev.porthole.store.DataDir;
import dev.porthole.store.Store;
import dev.porthole.watch.ListenerReader;
import dev.porthole.watch.WatchStore;
import dev.porthole.watch.Watcher;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check} and {@code wait} on a port whose owner was a unit of a real {@code systemd --user}:
 * the real watch records the unit's process, the unit is stopped (then, again, killed), and the
 * "who was here" notes name the unit with its state from {@code systemctl --user show}, how to see
 * more, and its journal's last lines, or say that the journal has none.
 */
@Timeout(240)
class SystemdWhoWasHereTest {
  @TempDir Path dir;

  @Test
  void aStoppedAndThenAKilledUserUnitIsNamedWithItsStateAndJournal() throws Exception {
    int port = FreePorts.loopback().find(1, PortRange.DYNAMIC, -1).getFirst();
    Path data = Files.createDirectories(dir.resolve("data"));
    try (UserManager systemd = UserManager.start(dir)) {
      Path units =
          Files.createDirectories(Path.of(systemd.env().get("XDG_CONFIG_HOME"), "systemd", "user"));
      Files.writeString(
          units.resolve("web.service"),
          "[Service]\nExecStart=/usr/bin/python3 -m http.server " + port + " --bind 127.0.0.1\n");
      assertThat(systemd.systemctl("daemon-reload")).isZero();

      int pid = runAndRecord(systemd, data, port, "stop");
      List<String> notes = notes(systemd, port, data);
      assertThat(notes)
          .anyMatch(
              l ->
                  l.matches(
                      "python3, PID "
                          + pid
                          + ", listened on 127.0.0.1:"
                          + port
                          + " until \\d+s ago .*"))
          .contains("PID " + pid + " has exited")
          .anyMatch(
              l ->
                  l.startsWith("systemd user unit web.service: inactive (dead)")
                      && l.endsWith("; see: systemctl --user status web.service"));
      assertJournal(systemd, notes);

      UserPorthole.Run wait =
          UserPorthole.run(
              systemd,
              dir,
              "wait",
              "127.0.0.1:" + port,
              "--timeout",
              "1s",
              "--data-dir",
              data.toString());
      assertThat(wait.exit()).as(wait.toString()).isEqualTo(1);
      assertThat(wait.err()).contains("systemd user unit web.service: inactive (dead)");

      int killed = runAndRecord(systemd, data, port, "kill");
      assertThat(notes(systemd, port, data))
          .contains("PID " + killed + " has exited")
          .contains(
              "systemd user unit web.service: failed (failed), result signal,"
                  + " main process killed by signal 9; see: systemctl --user status web.service");
    }
  }

  /**
   * Starts the unit, lets the real watch record its listener, then ends it ({@code stop}, or
   * SIGKILL with {@code kill}) and lets the watch record the close; returns the unit's pid.
   */
  private static int runAndRecord(UserManager systemd, Path data, int port, String end)
      throws Exception {
    assertThat(systemd.systemctl("start", "web.service")).as(systemd.log()).isZero();
    assertThat(accepts(port, 30)).as("web.service listens on " + port).isTrue();
    try (Store store = Store.open(data.resolve(DataDir.DATABASE));
        Watcher watch =
            new Watcher(
                ListenerReader.system(),
                new WatchStore(store),
                new Watcher.Options(Duration.ofSeconds(1), null, null))) {
      watch.cycle();
      int pid =
          watch.listeners().stream()
              .filter(l -> l.port() == port && l.owner() != null)
              .findFirst()
              .orElseThrow(() -> new AssertionError("the watch did not see port " + port))
              .owner()
              .pid();
      if (end.equals("stop")) {
        assertThat(systemd.systemctl("stop", "web.service")).isZero();
      } else {
        assertThat(systemd.systemctl("kill", "--signal=KILL", "web.service")).isZero();
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while ((accepts(port, 0) || Files.exists(Path.of("/proc/" + pid)))
          && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      watch.cycle();
      return pid;
    }
  }

  /** Returns the "who was here" lines of {@code check --json}, after checking its exit code. */
  private List<String> notes(UserManager systemd, int port, Path data) throws Exception {
    UserPorthole.Run check =
        UserPorthole.run(
            systemd,
            dir,
            "check",
            "127.0.0.1:" + port,
            "--timeout",
            "1s",
            "--data-dir",
            data.toString(),
            "--json");
    assertThat(check.exit()).as(check.toString()).isEqualTo(1);
    List<String> lines = new java.util.ArrayList<>();
    new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(check.out())
        .path("ownerHistory")
        .forEach(n -> lines.add(n.asText()));
    return lines;
  }

  /**
   * Checks the journal lines porthole shows: the unit's last lines when {@code journalctl --user}
   * has any, else one honest line saying there are none, and why when no journald runs (here).
   */
  private static void assertJournal(UserManager systemd, List<String> notes) throws Exception {
    List<String> lines =
        systemd
            .output(
                "journalctl", "--user", "-u", "web.service", "-n", "5", "--no-pager", "-o", "cat")
            .lines()
            .filter(l -> !l.isBlank() && !l.startsWith("No journal files"))
            .map(l -> "journal: " + l)
            .toList();
    if (!lines.isEmpty()) {
      assertThat(notes).containsAll(lines);
      return;
    }
    String none = "no journal lines: journalctl --user -u web.service printed none (";
    assertThat(notes).filteredOn(l -> l.startsWith("journal: ")).isEmpty();
    assertThat(notes).filteredOn(l -> l.startsWith(none)).hasSize(1);
    if (!journalFiles()) {
      assertThat(notes)
          .contains(
              none
                  + "no journald keeps a journal here: /run/log/journal and /var/log/journal"
                  + " hold no journal files)");
    }
  }

  private static boolean journalFiles() throws IOException {
    for (String d : List.of("/run/log/journal", "/var/log/journal")) {
      if (Files.isDirectory(Path.of(d))) {
        try (var files = Files.find(Path.of(d), 2, (f, a) -> f.toString().endsWith(".journal"))) {
          if (files.findAny().isPresent()) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean accepts(int port, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    do {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        return true;
      } catch (IOException e) {
        if (seconds > 0) {
          Thread.sleep(200);
        }
      }
    } while (System.nanoTime() < deadline);
    return false;
  }
}
