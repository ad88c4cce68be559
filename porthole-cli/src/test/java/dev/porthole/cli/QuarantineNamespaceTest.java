package dev.porthole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code porthole quarantine} on a listener the test starts, inside a private network namespace
 * (for the DROP rules): frozen (state T) and cut off, then released and answering again.
 */
@Timeout(300)
class QuarantineNamespaceTest {
  @TempDir Path dir;

  @Test
  void quarantineFreezesAndDropsThenReleaseRestoresBoth() throws Exception {
    String dd = " --data-dir " + Namespace.quote(dir.toString());
    String connects = "timeout 2 bash -c 'exec 3<>/dev/tcp/127.0.0.1/4200' 2>/dev/null";
    Run run =
        Namespace.shell(
            String.join(
                "\n",
                Namespace.listener(4200),
                "pid=$(ss -Hltnp 'sport = :4200' | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)",
                connects + " && echo BEFORE=answers",
                "porthole quarantine 4200 --yes" + dd + " > " + dir + "/q.txt",
                "echo QUARANTINE-EXIT=$?",
                "cat " + dir + "/q.txt",
                "id=$(sed -n 's/^quarantined \\([0-9a-f]*\\):.*/\\1/p' " + dir + "/q.txt)",
                "echo STATE=$(awk '{print $3}' /proc/$pid/stat)",
                connects + " && echo DURING=answers || echo DURING=dropped",
                "iptables-save | grep -c porthole: | sed 's/^/RULES=/'",
                "porthole quarantine --list" + dd,
                "porthole quarantine release $id" + dd,
                "echo STATE2=$(awk '{print $3}' /proc/$pid/stat)",
                connects + " && echo AFTER=answers || echo AFTER=dropped",
                "iptables-save | grep -c porthole: | sed 's/^/RULES2=/'",
                "porthole quarantine release $id" + dd + "; echo AGAIN-EXIT=$?"));
    assertThat(run.out())
        .as(run.err())
        .contains("BEFORE=answers")
        .contains("QUARANTINE-EXIT=0")
        .contains("Process socat (pid ")
        .containsPattern("  executable +/usr/bin/socat")
        .containsPattern("  sha256 +[0-9a-f]{64}")
        .contains("  listens     tcp/4200")
        .containsPattern(
            "quarantined [0-9a-f]{8}: socat \\(pid \\d+\\) is stopped \\(state T\\); dropped"
                + " tcp/4200")
        .contains("STATE=T")
        .contains("DURING=dropped")
        .contains("RULES=1")
        .containsPattern("released [0-9a-f]{8}: resumed PID \\d+ \\(socat\\); unblocked tcp/4200")
        .containsPattern("STATE2=[SR]")
        .contains("AFTER=answers")
        .contains("RULES2=0")
        .contains("AGAIN-EXIT=1");
    assertThat(run.err()).contains("was already released");
  }

  @Test
  void refusesPidOneAndPortholeItself() {
    Run init = Run.of("quarantine", "--pid", "1", "--yes");
    assertThat(init.code()).isEqualTo(1);
    assertThat(init.err()).contains("refused: PID 1 is the init process");
    Run self = Run.of("quarantine", "--pid", Long.toString(ProcessHandle.current().pid()), "--yes");
    assertThat(self.code()).isEqualTo(1);
    assertThat(self.err()).contains("refused: that is porthole itself");
    Run both = Run.of("quarantine", "4200", "--pid", "5");
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).contains("give PORT or --pid PID (one of them), or --list");
  }
}
