package dev.porthole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input on every kind of option: one line on stderr that names the user's flag, exit 2 for
 * usage (3 for what the environment refuses), and nothing done.
 */
@Timeout(60)
class InputErrorsTest {
  /** A proxy command line that is valid up to the option under test (which then stops it). */
  private static final String[] PROXY = {
    "proxy", "--listen", "127.0.0.1:0", "--upstream", "127.0.0.1:9"
  };

  @TempDir Path dataDir;

  /** Returns {@link #fails(int, String...)} for {@code proxy} followed by {@code more}. */
  private static Cli fails(int exit, String[] proxy, String... more) {
    String[] args = java.util.Arrays.copyOf(proxy, proxy.length + more.length);
    System.arraycopy(more, 0, args, proxy.length, more.length);
    return fails(exit, args);
  }

  /** Returns the run after checking its exit code and that stderr is exactly one line. */
  private static Cli fails(int exit, String... args) {
    Cli run = Cli.run(args);
    assertThat(run.exit()).as(String.join(" ", args) + ": " + run.err()).isEqualTo(exit);
    assertThat(run.err()).as(String.join(" ", args)).endsWith("\n");
    assertThat(run.err().strip()).as(String.join(" ", args)).doesNotContain("\n", "\tat ");
    return run;
  }

  @Test
  void digitsOfOtherScriptsAreNotPorts() {
    assertThat(fails(2, "who", "٨٠٠٠").err())
        .isEqualTo("porthole who: port: '٨٠٠٠' (expected: a whole number from 1 to 65535)\n");
    assertThat(fails(2, "who", "８０００").err()).startsWith("porthole who: port: '８０００'");
    assertThat(fails(2, "info", "٨٠").err()).startsWith("porthole info: port: '٨٠'");
    assertThat(fails(2, "free", "--count", "٣").err())
        .isEqualTo(
            "porthole free: --count: '٣' (expected: a whole number in ASCII digits)"
                + " (see 'porthole free --help')\n");
    assertThat(fails(2, "history", "٨٠", "--data-dir", dataDir.toString()).err())
        .startsWith("porthole history: PORT: '٨٠' (expected: a whole number from 1 to 65535)");
    assertThat(fails(2, "free", "--near", "٣٠٠٠").err())
        .startsWith("porthole free: --near: '٣٠٠٠' (expected: a whole number from 1 to 65535)");
    assertThat(fails(2, "scan", "127.0.0.1", "٨٠").err())
        .startsWith("porthole scan: ports '٨٠': '٨٠' is not a port");
    assertThat(fails(2, "check", "localhost:٨٠").err())
        .startsWith("porthole check: target 'localhost:٨٠': port: '٨٠'");
  }

  @Test
  void killWithForeignDigitsSendsNothing() throws Exception {
    try (Child child = Child.start("tcp:127.0.0.1")) {
      String port = Integer.toString(child.port("tcp:127.0.0.1"));
      StringBuilder arabic = new StringBuilder();
      port.chars().forEach(c -> arabic.append((char) ('\u0660' + (c - '0'))));
      assertThat(fails(2, "kill", arabic.toString(), "--yes").err())
          .startsWith("porthole kill: port: '" + arabic + "'");
      assertThat(fails(2, "kill", port, "--yes", "--grace", "-5s").err())
          .startsWith("porthole kill: --grace: '-5s'");
      assertThat(fails(2, "kill", port, "--yes", "--pid", "-1").err())
          .isEqualTo("porthole kill: --pid: -1 (expected: a process id, 1 or more)\n");
      assertThat(fails(2, "kill", port, "--yes", "--grace", "2h").err())
          .isEqualTo("porthole kill: --grace: '2h' (expected: at most 1h)\n");
      assertThat(child.process.isAlive()).as("nothing was killed").isTrue();
    }
  }

  @Test
  void portsOutOfRangeAndAbsurdDurationsAreRefused() {
    assertThat(fails(2, "events", "--port", "70000", "--data-dir", dataDir.toString()).err())
        .isEqualTo(
            "porthole events: --port: 70000 (expected: 1 to 65535)"
                + " (see 'porthole events --help')\n");
    assertThat(fails(2, "events", "--since", "99999999999999d").err())
        .startsWith("porthole events: --since: '99999999999999d' (expected: ");
    assertThat(fails(2, "watch", "--interval", "99999999999h", "--no-record").err())
        .isEqualTo("porthole watch: --interval: '99999999999h' (expected: at most 366d)\n");
    assertThat(fails(2, "watch", "--for", "0s", "--no-record").err())
        .isEqualTo("porthole watch: --for: '0s' (expected: more than 0)\n");
    assertThat(fails(2, "up", "--keep", "1y", "--data-dir", dataDir.toString()).err())
        .startsWith("porthole up: --keep: '1y' (expected: a duration like 250ms");
    assertThat(
            fails(2, PROXY, "--connect-timeout", "99999999999999")
                .err())
        .startsWith("porthole proxy: --connect-timeout: '99999999999999' (expected: ");
    assertThat(fails(2, PROXY, "--connect-timeout", "2h").err())
        .isEqualTo("porthole proxy: --connect-timeout: '2h' (expected: at most 1h)\n");
    assertThat(fails(2, "check", "80", "--timeout", "3").err())
        .isEqualTo(
            "porthole check: --timeout: '3' (expected: a duration like 250ms, 30s, 2m, 1h30m, 1d;"
                + " a bare number needs a unit) (see 'porthole check --help')\n");
    assertThat(fails(2, "up", "--toxiproxy-port", "99999", "--data-dir", dataDir.toString()).err())
        .isEqualTo(
            "porthole up: --toxiproxy-port: 99999 (expected: 0 to 65535)"
                + " (see 'porthole up --help')\n");
  }

  @Test
  void aLiteralThatIsNoAddressIsAUsageErrorForWaitAsForCheck() {
    assertThat(fails(2, "check", "999.999.999.999:80").err())
        .isEqualTo("porthole check: target '999.999.999.999:80': not an address\n");
    assertThat(fails(2, "wait", "999.999.999.999:80", "--timeout", "1s").err())
        .isEqualTo("porthole wait: target '999.999.999.999:80': not an address\n");
  }

  @Test
  void toxicsOnTheCommandLineAreCheckedLikeTheApiChecksThem() {
    assertThat(fails(2, PROXY, "--toxic", "latency:latncy=300").err())
        .isEqualTo(
            "porthole proxy: --toxic latency:latncy=300: unknown attribute 'latncy'"
                + " (latency has: latency, jitter)\n");
    for (String t : new String[] {"2", "7", "-0.1", "NaN", "1e0"}) {
      assertThat(fails(2, PROXY, "--toxic", "latency:toxicity=" + t).err())
          .startsWith("porthole proxy: --toxic latency:toxicity=" + t + ": toxicity: ");
    }
    assertThat(fails(2, PROXY, "--toxic", "latency:latency=٣٠٠").err())
        .isEqualTo(
            "porthole proxy: --toxic latency:latency=٣٠٠: latency: '٣٠٠' (expected: a whole"
                + " number)\n");
    assertThat(fails(2, "toxic", "add", "db", "-t", "latency", "--toxicity", "2").err())
        .isEqualTo(
            "porthole toxic add: --toxicity: 2 (expected: 0 to 1)"
                + " (see 'porthole toxic add --help')\n");
    assertThat(fails(2, "toxic", "add", "db", "-t", "latency", "-a", "latency=٣").err())
        .isEqualTo("porthole toxic add: -a latency: '٣' (expected: a number, e.g. 300 or 0.5)\n");
  }

  @Test
  void policyFilesThatAreNoFilesAreRefusedAtOnce() {
    assertThat(fails(2, "policy", "check", "--policy", "/dev/zero").err())
        .isEqualTo("porthole policy check: /dev/zero: not a regular file\n");
  }

  @Test
  void aDataDirectoryThatCannotBeCreatedSaysWhy() {
    assertThat(fails(3, "up", "--data-dir", "/proc/1/nope", "--port", "0").err())
        .isEqualTo(
            "porthole up: cannot create data directory /proc/1/nope: /proc/1 does not let a"
                + " directory be created in it (no such file or directory)\n");
  }

  @Test
  void unknownOptionsAndMissingParametersAreOneLine() {
    assertThat(fails(2, "ports", "--bogus").err())
        .isEqualTo("porthole ports: Unknown option: '--bogus' (see 'porthole ports --help')\n");
    assertThat(fails(2, "who").err()).contains("(see 'porthole who --help')");
    assertThat(fails(2, "toxic", "add").err()).contains("(see 'porthole toxic add --help')");
  }
}
