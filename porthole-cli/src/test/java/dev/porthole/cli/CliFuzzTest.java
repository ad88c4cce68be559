package dev.porthole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Mutated command lines for every command of the tree, in-process: whatever the arguments, the
 * exit code is one of the documented four, stderr holds no stack trace, and an error is one line.
 *
 * <p>Bounded by construction: a fixed seed and a fixed number of cases. Only commands that read
 * (sockets, the store in a temporary directory, a policy file) run; the rest ({@code kill}, {@code
 * up}, {@code proxy}, {@code watch}, {@code wait}, {@code scan}, {@code free}, daemon clients …)
 * are only parsed, so nothing is signalled, bound, scanned or waited for, and no daemon is touched.
 */
@Timeout(120)
class CliFuzzTest {
  private static final long SEED = 9;
  private static final int CASES = 3000;

  /** Commands run for real: each only reads, and is quick whatever it is given. */
  private static final Set<String> RUN =
      Set.of("who", "info", "ports", "history", "events", "policy check", "completion");

  /** Values that broke or could break a parser: foreign digits, huge, empty, invisible, odd. */
  private static final String[] HOSTILE = {
    "٨٠٠٠", "８０００", "٣", "99999999999999999999", "9223372036854775808", "-1", "0", "70000", "",
    " ", "\t", "\u0000", "\u0007", "\u202e80", "8\u200b0", "80\u2028", "\ufeff", "1e3", "NaN",
    "Infinity", "0x50", "+80", " 80 ", "1.5", "-0.1", "2", "-5s", "99999999999h", "99999999999999d",
    "1h30m", "30", "250ms", "0s", "1y", "abc", "%s%n", "-", "--", "x".repeat(300), "a=b", "=",
    "latency:latncy=3", "latency:toxicity=7", "bandwidth:rate=٣", "nope:x=1", "127.0.0.1:٨",
    "[::1]:0", "[::1", "999.999.999.999:80", "localhost:", ":80", "http://[::1:80/", "/dev/zero",
    "/proc/1/nope", "\n", "${sys:user.home}", "@/dev/zero", "TERM", "SIGFOO", "1-65535", "9-2",
    "0-0", "22,,80", "tcp", "LISTEN", "--nope", "-z", "--port=", "--json=yes"
  };

  @TempDir Path dataDir;

  /** One command of the tree: its words ("toxic add") and its options. */
  record Command(List<String> words, List<OptionSpec> options, int positionals) {
    String name() {
      return String.join(" ", words);
    }
  }

  @Test
  void everyMutatedCommandLineEndsWithADocumentedCodeAndOneLineErrors() {
    List<Command> commands = new ArrayList<>();
    PrintWriter sink = new PrintWriter(new StringWriter());
    collect(Porthole.commandLine(sink, sink), new ArrayList<>(), commands);
    assertThat(commands).hasSizeGreaterThan(20);
    Random random = new Random(SEED);
    int ran = 0;
    for (int i = 0; i < CASES; i++) {
      Command c = commands.get(random.nextInt(commands.size()));
      List<String> args = new ArrayList<>(c.words());
      args.addAll(mutated(random, c));
      boolean run = RUN.contains(c.name());
      if (run && (c.name().equals("history") || c.name().equals("events"))) {
        args.addAll(List.of("--data-dir", dataDir.toString()));
      }
      check(args, run);
      ran += run ? 1 : 0;
    }
    assertThat(ran).as("cases that ran a command, not only its parser").isGreaterThan(300);
  }

  private static void collect(CommandLine cmd, List<String> words, List<Command> out) {
    CommandSpec spec = cmd.getCommandSpec();
    if (!words.isEmpty()) {
      out.add(new Command(List.copyOf(words), spec.options(), spec.positionalParameters().size()));
    }
    cmd.getSubcommands()
        .forEach(
            (name, sub) -> {
              if (sub.getCommandSpec().name().equals(name)) { // skip aliases
                List<String> next = new ArrayList<>(words);
                next.add(name);
                collect(sub, next, out);
              }
            });
  }

  /** Returns up to five tokens: options with hostile or missing values, and hostile words. */
  private static List<String> mutated(Random random, Command c) {
    List<String> args = new ArrayList<>();
    int n = random.nextInt(6);
    for (int i = 0; i < n; i++) {
      int kind = random.nextInt(10);
      if (kind < 6 && !c.options().isEmpty()) {
        OptionSpec o = c.options().get(random.nextInt(c.options().size()));
        String name = o.names()[random.nextInt(o.names().length)];
        if (o.usageHelp() || o.versionHelp() || name.equals("--debug")) {
          continue; // help hides the case; --debug prints stack traces by design
        }
        args.add(name);
        if (o.arity().max() > 0 && random.nextInt(8) > 0) {
          args.add(hostile(random));
        }
      } else {
        args.add(hostile(random));
      }
    }
    return args;
  }

  private static String hostile(Random random) {
    String v = HOSTILE[random.nextInt(HOSTILE.length)];
    return random.nextInt(10) == 0 ? v + HOSTILE[random.nextInt(HOSTILE.length)] : v;
  }

  /** One command line per command, reused: picocli resets every option before each parse. */
  private final Map<String, CommandLine> lines = new HashMap<>();

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private void check(List<String> args, boolean run) {
    String[] argv = args.toArray(String[]::new);
    CommandLine cmd =
        lines.computeIfAbsent(
            argv[0],
            first -> Porthole.commandLineFor(argv, new PrintWriter(out), new PrintWriter(err)));
    // Only the parser and converters, unless the command is one that may run.
    cmd.setExecutionStrategy(run ? new CommandLine.RunLast() : parsed -> ExitCodes.OK);
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    PrintWriter errWriter = new PrintWriter(err);
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(errWriter);
    int exit = cmd.execute(argv);
    errWriter.flush(); // what a command left unflushed belongs to this case
    String e = err.toString();
    String what = printable(args) + " -> " + exit + ": " + e;
    assertThat(exit).as(what).isIn(0, 1, 2, 3);
    assertThat(e).as(what).doesNotContain("\tat ", "Exception", "Error:");
    if (exit == ExitCodes.USAGE || exit == ExitCodes.FAILURE) {
      assertThat(e).as(what).isNotBlank();
    }
    if (exit != ExitCodes.OK) {
      assertThat(e.strip().lines().count()).as("one line: " + what).isLessThanOrEqualTo(1);
    }
  }

  private static String printable(List<String> args) {
    StringBuilder sb = new StringBuilder();
    for (String a : args) {
      sb.append(" '").append(dev.porthole.text.Numbers.printable(a)).append('\'');
    }
    return sb.toString().strip();
  }
}
