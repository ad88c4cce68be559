package dev.porthole.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.porthole.ports.PortRange;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class PolicyFileTest {
  static final String EXAMPLE =
      """
      # What this machine is expected to listen on.
      unexpected: alert
      mismatch: alert
      exposure: event
      down: alert
      expected:
        - port: 22
          process: sshd
          scope: all
        - port: 5432
          protocol: tcp
          process: postgres
          user: postgres
          scope: loopback
        - port: 3000-3999
          exe: /usr/bin/node*
      services:
        - name: postgres
          port: 5432
      """;

  @TempDir Path dir;

  @Test
  void readsTheReadmeExample() {
    Policy p = PolicyFile.parse(EXAMPLE, "policy.yaml");
    assertThat(p.unexpected()).isEqualTo(PolicyAction.ALERT);
    assertThat(p.expected()).hasSize(3);
    assertThat(p.expected().get(2).ports()).isEqualTo(new PortRange(3000, 3999));
    assertThat(p.services()).containsExactly(new ExpectedService("postgres", 5432, "tcp", null));
  }

  @Test
  void anUnknownFieldIsRejectedWithItsLine() {
    assertThatThrownBy(
            () -> PolicyFile.parse("expected:\n  - port: 22\n    proces: sshd\n", "p.yaml"))
        .isInstanceOf(PolicyException.class)
        .hasMessage(
            "p.yaml: line 3: unknown field 'proces' (expected one of: container, exe, image,"
                + " origin, port, process, project, protocol, scope, user, vm)");
  }

  @Test
  void aBadPortIsRejectedWithItsLineAndReason() {
    assertThatThrownBy(() -> PolicyFile.parse("expected:\n  - port: 70000\n", "p.yaml"))
        .hasMessage(
            "p.yaml: line 2: port: '70000' (expected: a port 1-65535 or a range A-B, e.g."
                + " 3000-3999)");
  }

  @Test
  void aBadActionAndBadYamlAreRejected() {
    assertThatThrownBy(() -> PolicyFile.parse("unexpected: shout\n", "p.yaml"))
        .hasMessage(
            "p.yaml: line 1: unknown action 'shout' (expected: ignore, event, alert, quarantine)");
    assertThatThrownBy(() -> PolicyFile.parse("expected: [port: 1\n", "p.yaml"))
        .hasMessage("p.yaml: line 2: expected ',' or ']', but got <stream end>");
    assertThatThrownBy(() -> PolicyFile.parse("  \n", "p.yaml"))
        .hasMessage("p.yaml: empty policy (run 'porthole policy init')");
  }

  @Test
  void quarantineIsAnActionForListenersOnly() {
    Policy p = PolicyFile.parse("unexpected: quarantine\nmismatch: quarantine\n", "p.yaml");
    assertThat(p.unexpected()).isEqualTo(PolicyAction.QUARANTINE);
    assertThat(p.mismatch().alerts()).isTrue();
    assertThatThrownBy(() -> PolicyFile.parse("down: quarantine\n", "p.yaml"))
        .hasMessageContaining(
            "down: quarantine (expected: ignore, event or alert; quarantine is for unexpected and"
                + " mismatch listeners)");
    assertThatThrownBy(() -> PolicyFile.parse("exposure: quarantine\n", "p.yaml"))
        .hasMessageContaining("exposure: quarantine (expected: ignore, event or alert;");
  }

  @Test
  void aMissingFileSaysSo() {
    Path missing = dir.resolve("none.yaml");
    assertThatThrownBy(() -> PolicyFile.load(missing)).hasMessage(missing + ": no such file");
  }

  @Test
  void loadsFromAFile() throws Exception {
    Path file = Files.writeString(dir.resolve("p.yaml"), EXAMPLE);
    assertThat(PolicyFile.load(file).expected()).hasSize(3);
  }

  @Test
  @Timeout(10)
  void whatIsNotARegularFileIsRefusedAtOnce() throws Exception {
    // /dev/zero never ends: reading it ran out of memory after 10 s.
    assertThatThrownBy(() -> PolicyFile.load(Path.of("/dev/zero")))
        .isInstanceOf(PolicyException.class)
        .hasMessage("/dev/zero: not a regular file");
    assertThatThrownBy(() -> PolicyFile.load(dir)).hasMessage(dir + ": not a regular file");
    Path fifo = dir.resolve("fifo");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertThat(mkfifo.waitFor()).isZero();
    assertThatThrownBy(() -> PolicyFile.load(fifo)).hasMessage(fifo + ": not a regular file");
  }

  @Test
  void aFileOverOneMebibyteIsRefused() throws Exception {
    Path big = dir.resolve("big.yaml");
    Files.writeString(big, "# " + "x".repeat(PolicyFile.MAX_BYTES) + "\n");
    assertThatThrownBy(() -> PolicyFile.load(big))
        .isInstanceOf(PolicyException.class)
        .hasMessage(big + ": " + Files.size(big) + " bytes (expected: at most 1 MiB)");
  }
}
