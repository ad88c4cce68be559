package dev.porthole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code porthole port}: stable ports per name, in-process and from 20 real processes at once. */
@Timeout(240)
class PortCommandTest {
  @TempDir Path dir;

  private Run port(String... args) {
    // --data-dir first: after "--" it would belong to the command, and the user's store be used.
    List<String> all = new ArrayList<>(List.of("port", "--data-dir", dir.toString()));
    all.addAll(List.of(args));
    return Run.of(all.toArray(String[]::new));
  }

  @Test
  void theSameNameGetsTheSamePortAndAnotherNameAnotherOne() {
    Run a = port("myapp");
    assertThat(a.code()).as(a.err()).isZero();
    int p = Integer.parseInt(a.out().strip());
    assertThat(p).isBetween(40000, 48999);
    assertThat(port("myapp").out().strip()).isEqualTo(Integer.toString(p));
    Run b = port("other", "--json");
    assertThat(b.out()).contains("\"name\" : \"other\"").contains("\"assignedNow\" : true");
    assertThat(b.out()).doesNotContain("\"port\" : " + p + ",");
    Run list = port("--list");
    assertThat(list.out()).contains("PORT").contains("myapp").contains("other");
  }

  @Test
  void aBusyPortNamesItsHolderAndIsNeverReplaced() throws Exception {
    int p = Integer.parseInt(port("busy").out().strip());
    try (ServerSocket holder = new ServerSocket()) {
      holder.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), p));
      Run run = port("busy");
      assertThat(run.code()).isEqualTo(1);
      assertThat(run.out()).isEmpty();
      assertThat(run.err())
          .contains("busy: port " + p + " is busy: ")
          .contains("(PID " + ProcessHandle.current().pid());
    }
    assertThat(port("busy").out().strip()).isEqualTo(Integer.toString(p));
  }

  @Test
  void releaseFreesTheNameAndBadInputIsAUsageError() {
    port("gone");
    Run released = port("--release", "gone");
    assertThat(released.code()).isZero();
    assertThat(released.out()).isEqualTo("released gone\n");
    Run again = port("--release", "gone");
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).contains("gone has no port");
    Run bad = port("a b");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("NAME: 'a b' (expected:");
    Run range = port("x", "--range", "45000-4x");
    assertThat(range.code()).isEqualTo(2);
    assertThat(range.err())
        .isEqualTo(
            "porthole port: --range: '45000-4x' (expected: a port 1-65535 or a range A-B,"
                + " e.g. 3000-3999)\n");
    assertThat(port().err()).contains("NAME is missing");
  }

  @Test
  void aCommandAfterDoubleDashRunsWithPortSetAndItsExitCode() throws Exception {
    Path file = dir.resolve("port.txt");
    Run run =
        port(
            "runner",
            "--range",
            "45000-45999",
            "--",
            "sh",
            "-c",
            "echo $PORT > '" + file + "'; exit 7");
    assertThat(run.code()).as(run.err()).isEqualTo(7);
    int p = Integer.parseInt(Files.readString(file).strip());
    assertThat(p).isBetween(45000, 45999);
    assertThat(port("runner").out().strip()).isEqualTo(Integer.toString(p));
    Run missing = port("runner", "--", "no-such-command-xyz");
    assertThat(missing.code()).isEqualTo(3);
    assertThat(missing.err()).contains("cannot run no-such-command-xyz: not found on PATH");
  }

  @Test
  void twentyProcessesAskingAtOnceGetTwentyDistinctPortsTheSameEachRound() throws Exception {
    Map<String, Integer> first = round();
    assertThat(first).hasSize(20);
    assertThat(new HashSet<>(first.values())).hasSize(20);
    assertThat(round()).isEqualTo(first);
  }

  /** Starts 20 JVMs at once, each asking for its own name; returns name → port. */
  private Map<String, Integer> round() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("java.class.path");
    List<Process> processes = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      processes.add(
          new ProcessBuilder(
                  java,
                  "-Xshare:auto",
                  "-XX:TieredStopAtLevel=1",
                  "-XX:+UseSerialGC",
                  "-cp",
                  cp,
                  "dev.porthole.cli.Porthole",
                  "port",
                  "app-" + i,
                  "--range", // outside the ephemeral range, where other tests' connections are
                  "21000-22999",
                  "--data-dir",
                  dir.toString())
              .redirectError(dir.resolve("err-" + i + ".txt").toFile())
              .start());
    }
    Map<String, Integer> ports = new HashMap<>();
    for (int i = 0; i < 20; i++) {
      Process p = processes.get(i);
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(Files.readString(dir.resolve("err-" + i + ".txt"))).isZero();
      ports.put("app-" + i, Integer.parseInt(out));
    }
    return ports;
  }
}
