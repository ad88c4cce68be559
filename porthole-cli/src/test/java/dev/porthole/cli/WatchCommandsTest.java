package dev.porthole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.watch.PolicyFile;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** watch, events, history and policy, run in-process against a real listener and a temp store. */
@Timeout(120)
class WatchCommandsTest {
  private static ServerSocket listener;
  private static int port;
  @TempDir static Path data;

  @BeforeAll
  static void recordOnce() throws IOException {
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    port = listener.getLocalPort();
    CliRun run =
        CliRun.of(
            "watch",
            "--data-dir",
            data.toString(),
            "--interval",
            "100ms",
            "--for",
            "2s",
            "--no-notify");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out())
        .startsWith(
            "watching every 100ms, policy none, recording to "
                + data.resolve("porthole.db")
                + " for 2s\n");
    assertThat(run.out())
        .containsPattern(
            "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d  opened {10}"
                + "listening: tcp 127.0.0.1:"
                + port
                + " \\(java \\(pid "
                + ProcessHandle.current().pid()
                // surefire's JVM is a `java -jar`: its origin may follow
                + "\\)( for java -jar [^)]*)?\\)\n {21}process  java");
    assertThat(run.out()).contains("action   porthole kill " + port + "\n");
  }

  @AfterAll
  static void close() throws IOException {
    listener.close();
  }

  @Test
  void eventsListsWhatTheWatchRecorded() {
    CliRun run = CliRun.of("events", "--data-dir", data.toString(), "--port", "" + port);
    assertThat(run.exit()).isZero();
    assertThat(run.out())
        .containsPattern("^TIME {17}TYPE +PORT  PROCESS +ORIGIN +MESSAGE\n")
        // The listener is this test's JVM, a `java -jar`: its origin is stored with the event.
        .containsPattern(
            "opened  +"
                + port
                + "  java \\(pid \\d+\\)  java -jar \\S+( in \\S+)? +listening: tcp 127.0.0.1:"
                + port);
    CliRun json =
        CliRun.of(
            "events",
            "--data-dir",
            data.toString(),
            "--port",
            "" + port,
            "--type",
            "opened",
            "--json");
    assertThat(json.out()).contains("\"type\" : \"opened\"").contains("\"sha256\" : \"");
    CliRun none = CliRun.of("events", "--data-dir", data.toString(), "--type", "down");
    assertThat(none.out()).isEqualTo("no events in the last 24h\n");
  }

  @Test
  void historyShowsWhoHeldThePort() {
    CliRun run = CliRun.of("history", "" + port, "--data-dir", data.toString());
    assertThat(run.exit()).isZero();
    assertThat(run.out())
        .startsWith("PROTO  ADDRESS    SCOPE     ")
        .containsPattern("  UNTIL +ORIGIN\n")
        // The listener is this test's JVM: its origin, stored with the row, is "java -jar ...".
        .containsPattern(
            "tcp    127.0.0.1  loopback  +\\d+  java     \\S+ +\\d{4}-.* listening  java -jar"
                + " .*\n");
    CliRun never = CliRun.of("history", "1", "--data-dir", data.toString());
    assertThat(never.exit()).isEqualTo(1);
    assertThat(never.err()).isEqualTo("porthole history: port 1 was never seen listening\n");
  }

  @Test
  void badSinceAndTypeAreUsageErrors() {
    CliRun since = CliRun.of("events", "--data-dir", data.toString(), "--since", "yesterday");
    assertThat(since.exit()).isEqualTo(2);
    assertThat(since.err())
        .isEqualTo(
            "porthole events: --since: 'yesterday' (expected: a duration"
                + " like 250ms, 30s, 2m, 1h30m, 1d)\n");
    CliRun type = CliRun.of("events", "--data-dir", data.toString(), "--type", "opend");
    assertThat(type.exit()).isEqualTo(2);
    assertThat(type.err())
        .startsWith("porthole events: --type: unknown type 'opend' (expected: opened,");
    CliRun interval = CliRun.of("watch", "--data-dir", data.toString(), "--interval", "fast");
    assertThat(interval.err())
        .isEqualTo(
            "porthole watch: --interval: 'fast' (expected: a duration"
                + " like 250ms, 30s, 2m, 1h30m, 1d)\n");
    CliRun tooShort = CliRun.of("watch", "--data-dir", data.toString(), "--interval", "0s");
    assertThat(tooShort.exit()).isEqualTo(2);
    assertThat(tooShort.err())
        .isEqualTo("porthole watch: --interval: '0s' (expected: more than 0)\n");
  }

  @Test
  void nothingRecordedIsSaid(@TempDir Path empty) {
    CliRun run = CliRun.of("events", "--data-dir", empty.toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err())
        .isEqualTo(
            "porthole events: nothing recorded yet: "
                + empty.resolve("porthole.db")
                + " does not exist (run 'porthole up' or 'porthole watch')\n");
    assertThat(Files.exists(empty.resolve("porthole.db"))).isFalse();
  }

  @Test
  void anUnwritableDataDirectoryIsOneLine(@TempDir Path tmp) throws IOException {
    Path file = Files.writeString(tmp.resolve("file"), "x");
    CliRun run = CliRun.of("watch", "--data-dir", file.resolve("sub").toString(), "--for", "1s");
    assertThat(run.exit()).isEqualTo(3);
    assertThat(run.err())
        .startsWith("porthole watch: cannot create data directory " + file.resolve("sub"))
        .doesNotContain("\tat ")
        .hasLineCount(1);
  }

  @Test
  void aBrokenPolicyIsRejectedWithItsLine(@TempDir Path tmp) throws IOException {
    Path bad =
        Files.writeString(tmp.resolve("p.yaml"), "expected:\n  - port: 22\n    scope: moon\n");
    String reason = bad + ": line 2: scope: 'moon' (expected: loopback, all, specific, any)\n";
    CliRun watch = CliRun.of("watch", "--policy", bad.toString(), "--no-record", "--for", "1s");
    assertThat(watch.exit()).isEqualTo(2);
    assertThat(watch.err()).isEqualTo("porthole watch: " + reason);
    CliRun check = CliRun.of("policy", "check", "--policy", bad.toString());
    assertThat(check.exit()).isEqualTo(2);
    assertThat(check.err()).isEqualTo("porthole policy check: " + reason);
  }

  @Test
  void policyCheckExitsOneOnViolationsAndZeroWhenClean(@TempDir Path tmp) throws IOException {
    String base = "unexpected: ignore\nexposure: ignore\nexpected:\n  - port: " + port + "\n";
    Path wrong = Files.writeString(tmp.resolve("wrong.yaml"), base + "    process: postgres\n");
    CliRun bad = CliRun.of("policy", "check", "--policy", wrong.toString());
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.out())
        .containsPattern("^TYPE +PORT  PROCESS +MESSAGE\n")
        .containsPattern("violation +" + port + "  java \\(pid ")
        .contains("policy gives port " + port + " to process postgres\n")
        .endsWith("1 finding(s) against " + wrong + "\n");
    Path right = Files.writeString(tmp.resolve("right.yaml"), base + "    process: java\n");
    CliRun ok = CliRun.of("policy", "check", "--policy", right.toString());
    assertThat(ok.exit()).as(ok.out()).isZero();
    assertThat(ok.out()).matches("ok: \\d+ listener\\(s\\) match " + right + "\n");
  }

  @Test
  void policyInitWritesABaselineThatLoads(@TempDir Path tmp) {
    Path file = tmp.resolve("policy.yaml");
    CliRun run = CliRun.of("policy", "init", "-o", file.toString());
    assertThat(run.exit()).isZero();
    assertThat(run.out()).matches("wrote " + file + ": \\d+ listener\\(s\\) expected\n");
    assertThat(PolicyFile.load(file).expected())
        .anyMatch(
            r ->
                r.port().equals("" + port)
                    && "java".equals(r.process())
                    && "loopback".equals(r.scope())
                    // this JVM runs in porthole-cli, its project: the origin's directory
                    && r.project() != null
                    && r.project().endsWith("porthole-cli"));
    CliRun again = CliRun.of("policy", "init", "-o", file.toString());
    assertThat(again.exit()).isEqualTo(2);
    assertThat(again.err())
        .isEqualTo("porthole policy init: " + file + " exists (add --force to overwrite it)\n");
  }
}
