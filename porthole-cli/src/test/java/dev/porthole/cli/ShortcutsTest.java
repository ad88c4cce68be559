package dev.porthole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Checks that {@code who PORT}, {@code ports}, {@code ports --all} and {@code scan [HOST [PORTS]]}
 * without picocli answer exactly as picocli's path does.
 */
@Timeout(60)
class ShortcutsTest {
  /** Returns what {@link Shortcuts} printed and returned; exit -1 when it declined. */
  static Cli shortcut(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Integer exit = Shortcuts.answer(args, new PrintWriter(out), new PrintWriter(err));
    return new Cli(exit == null ? -1 : exit, out.toString(), err.toString());
  }

  @Test
  void answersAHeldPortAndAFreeOneAsPicocliDoes() throws Exception {
    try (ServerSocket held = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String port = Integer.toString(held.getLocalPort());
      Cli fast = shortcut("who", port);

      assertThat(fast.exit()).isZero();
      assertThat(fast.out()).startsWith(port + ": java (PID " + ProcessHandle.current().pid());
      assertThat(fast).isEqualTo(Cli.run("who", port));
    }
    int free;
    try (ServerSocket s = new ServerSocket(0)) {
      free = s.getLocalPort();
    }
    Cli fast = shortcut("who", " " + free + " ");

    assertThat(fast).isEqualTo(new Cli(1, "nothing listens on " + free + "\n", ""));
    assertThat(fast).isEqualTo(Cli.run("who", " " + free + " "));
  }

  @Test
  void listsPortsAndPortsAllAsPicocliDoes() throws Exception {
    try (ServerSocket held = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String port = Integer.toString(held.getLocalPort());
      // Other processes' sockets come and go on a shared machine: compare the header and this
      // test's own listener, not the whole table, and their words, not the spacing (a column is as
      // wide as its widest cell, which another process's socket can change between the two runs).
      for (String[] args : new String[][] {{"ports"}, {"ports", "--all"}, {"ports", "-a"}}) {
        Cli fast = shortcut(args);
        Cli slow = Cli.run(args);
        String name = String.join(" ", args);

        assertThat(fast.exit()).as(name).isZero();
        assertThat(words(fast.out().lines().findFirst().orElseThrow()))
            .as(name)
            .isEqualTo(words(slow.out().lines().findFirst().orElseThrow()));
        assertThat(words(heldRow(fast.out(), port)))
            .as(name)
            .isEqualTo(words(heldRow(slow.out(), port)));
        assertThat(heldRow(fast.out(), port)).as(name).contains("java", "LISTEN");
      }
      assertThat(shortcut("ports", "--all").out().lines().findFirst().orElseThrow())
          .contains("REMOTE");
    }
  }

  @Test
  void scansAsPicocliDoesInEveryShapeItAnswers() throws Exception {
    try (ServerSocket held = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String port = Integer.toString(held.getLocalPort());
      for (String[] args :
          new String[][] {
            {"scan", "127.0.0.1", port},
            {"scan", "127.0.0.1", port, "--json"},
            {"scan", "--json", "localhost", port + "," + port},
            {"scan", "127.0.0.1", "--no-color", port, "--json"},
            {"scan", "127.0.0.1", "1-2", "--no-color"},
          }) {
        Cli fast = shortcut(args);
        Cli slow = Cli.run(args);
        String name = String.join(" ", args);

        assertThat(fast.exit()).as(name).isZero();
        if (List.of(args).contains("1-2")) {
          assertThat(fast.out()).as(name).contains("of 2 ports on 127.0.0.1 in ");
        } else {
          assertThat(fast.out())
              .as(name)
              .containsAnyOf(port + "  127.0.0.1:" + port, "\"port\" : " + port);
        }
        // Everything but the scan's own time, which differs from run to run.
        assertThat(withoutTime(fast)).as(name).isEqualTo(withoutTime(slow));
      }
    }
  }

  @Test
  void scanErrorsArePicocliOwnAndPrintedTheSame() {
    for (String[] args :
        new String[][] {
          {"scan", "127.0.0.1", "80-70"},
          {"scan", "127.0.0.1", "0"},
          {"scan", "192.0.2.1", "80"},
          {"scan", "no-such-host.invalid"},
          {"scan", "127.0.0.1", "80", "81"},
          {"scan", "--json", "--json"},
          {"scan", "--concurrency", "4"},
        }) {
      String name = String.join(" ", args);
      assertThat(shortcut(args)).as(name).isEqualTo(new Cli(-1, "", ""));
      Cli slow = Cli.run(args);
      assertThat(slow.exit()).as(name).isEqualTo(2);
      assertThat(slow.err()).as(name).startsWith("porthole scan: ");
      assertThat(main(args)).as(name).isEqualTo(slow);
    }
  }

  /** Returns what {@link Porthole#run} (main's path: shortcut, else picocli) printed. */
  private static Cli main(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Porthole.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Cli(exit, out.toString(), err.toString());
  }

  private static Cli withoutTime(Cli run) {
    return new Cli(
        run.exit(),
        run.out()
            .replaceAll("\"millis\" : [0-9.E]+", "\"millis\" : T")
            .replaceAll(" in [0-9]+ ms", " in T ms"),
        run.err());
  }

  /** Returns the table row of the listener on 127.0.0.1:{@code port}. */
  private static List<String> words(String line) {
    return List.of(line.trim().split(" +"));
  }

  private static String heldRow(String table, String port) {
    return table
        .lines()
        .filter(l -> l.matches("tcp +127\\.0\\.0\\.1 +" + port + " .*LISTEN.*"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no row of 127.0.0.1:" + port + " in:\n" + table));
  }

  @Test
  void leavesEveryOtherCommandLineToPicocliAndPrintsNothing() {
    for (String[] args :
        new String[][] {
          {"who"},
          {"who", "22", "--json"},
          {"who", "--json", "22"},
          {"who", "--help"},
          {"who", "-h"},
          {"who", "--debug"},
          {"who", "abc"},
          {"who", "0"},
          {"who", "70000"},
          {"who", "-1"},
          {"who", "٨٠٠٠"},
          {"who", "@/dev/zero"},
          {"ports", "22"},
          {"ports", "--tcp"},
          {"ports", "--all", "--json"},
          {"ports", "-a", "-4"},
          {"ports", "--json"},
          {"ports", "--help"},
          {"scan", "--help"},
          {"scan", "-h"},
          {"scan", "--timeout", "2s"},
          {"scan", "127.0.0.1", "22", "--allow-remote"},
          {"scan", "--debug"},
          {"scan", "-V"},
          {"info", "22"},
          {"--debug", "who"},
        }) {
      assertThat(shortcut(args)).as(String.join(" ", args)).isEqualTo(new Cli(-1, "", ""));
    }
  }

  @Test
  void mainAnswersWhoAndPortsWithoutLoadingPicocli() throws Exception {
    try (ServerSocket held = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String port = Integer.toString(held.getLocalPort());
      String classes = run("-verbose:class", "who", port);

      assertThat(classes).contains("dev.porthole.cli.Shortcuts");
      assertThat(classes).contains(port + ": java (PID " + ProcessHandle.current().pid());
      // What costs: picocli's model and the annotation proxies Java makes for it. (Looking up
      // main loads picocli.CommandLine itself, named in Porthole's signatures, without running it.)
      assertThat(classes).doesNotContain("picocli.CommandLine$Model$CommandSpec", "$Proxy");
      assertThat(run("-verbose:class", "ports", "--all"))
          .contains("dev.porthole.cli.Shortcuts")
          .doesNotContain("picocli.CommandLine$Model$CommandSpec", "$Proxy");
      assertThat(run("-verbose:class", "scan", "127.0.0.1", port, "--json"))
          .contains("dev.porthole.cli.Shortcuts", "\"port\" : " + port)
          .doesNotContain("picocli.CommandLine$Model$CommandSpec", "$Proxy");
      // The control: any other shape takes picocli's path.
      assertThat(run("-verbose:class", "who", port, "--no-color"))
          .contains("picocli.CommandLine$Model$CommandSpec", "$Proxy");
    }
  }

  /** Returns stdout of porthole's main in a child JVM with {@code jvmOption}. */
  private static String run(String jvmOption, String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                java,
                jvmOption,
                "-cp",
                System.getProperty("java.class.path"),
                Porthole.class.getName()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return out;
  }
}
