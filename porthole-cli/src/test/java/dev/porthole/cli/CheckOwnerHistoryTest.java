package dev.porthole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.porthole.ports.FreePorts;
import dev.porthole.ports.PortRange;
import dev.porthole.store.DataDir;
import dev.porthole.store.Store;
import dev.porthole.watch.ProcessDetails;
import dev.porthole.watch.ProcessDetailsReader;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code check} on a port that is down says who was there, from a real store's history. */
@Timeout(120)
class CheckOwnerHistoryTest {
  @TempDir Path dir;

  @Test
  void aDownPortNamesTheProcessThatListenedUntilMinutesAgoAndThatItExited() throws Exception {
    int port = FreePorts.loopback().find(1, PortRange.DYNAMIC, -1).getFirst();
    Process sleeper = new ProcessBuilder("sleep", "60").start();
    ProcessDetails owner = ProcessDetailsReader.system().read((int) sleeper.pid());
    sleeper.destroyForcibly();
    assertThat(sleeper.waitFor(10, TimeUnit.SECONDS)).isTrue();
    long closed = System.currentTimeMillis() - 3 * 60_000;
    try (Store store = Store.open(dir.resolve(DataDir.DATABASE))) {
      store.execute(
          "INSERT INTO listener_history(protocol, address, port, scope, inode, pid, process, exe,"
              + " user, owner, opened_ms, closed_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
          "tcp",
          "127.0.0.1",
          port,
          "loopback",
          1,
          owner.pid(),
          owner.name(),
          owner.exe(),
          owner.user(),
          new ObjectMapper().writeValueAsString(owner),
          closed - 60_000,
          closed);
    }
    Run run = Run.of("check", "127.0.0.1:" + port, "--timeout", "1s", "--data-dir", dir.toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out())
        .contains("[NOTHING_LISTENS]")
        .contains("who was here:")
        .containsPattern(
            "- sleep, PID "
                + owner.pid()
                + ", listened on 127.0.0.1:"
                + port
                + " until 3m\\d*s? ago")
        .contains("- PID " + owner.pid() + " has exited");
    Run json =
        Run.of(
            "check",
            "127.0.0.1:" + port,
            "--timeout",
            "1s",
            "--data-dir",
            dir.toString(),
            "--json");
    assertThat(json.out()).contains("\"ownerHistory\" : [ \"sleep, PID " + owner.pid());
  }

  @Test
  void aStoppedListenerIsNamedWithHowToResumeIt() throws Exception {
    try (Child child = Child.start("tcp:127.0.0.1")) {
      int port = child.port("tcp:127.0.0.1");
      assertThat(new ProcessBuilder("kill", "-STOP", Long.toString(child.pid())).start().waitFor())
          .isZero();
      try {
        Run run =
            Run.of(
                "check",
                "http://127.0.0.1:" + port + "/",
                "--timeout",
                "1s",
                "--data-dir",
                dir.toString());
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.out())
            .contains("who was here:")
            .containsPattern(
                "PID "
                    + child.pid()
                    + ", listens on port "
                    + port
                    + " but is stopped \\(state T\\)")
            .contains("resume it with: kill -CONT " + child.pid());
      } finally {
        new ProcessBuilder("kill", "-CONT", Long.toString(child.pid())).start().waitFor();
      }
    }
  }
}
