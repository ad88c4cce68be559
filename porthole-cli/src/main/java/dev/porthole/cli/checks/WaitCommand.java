package dev.porthole.cli.checks;

import dev.porthole.checks.Check;
import dev.porthole.checks.CheckResult;
import dev.porthole.checks.CommandRunner;
import dev.porthole.checks.Diagnoser;
import dev.porthole.checks.Target;
import dev.porthole.checks.Waiter;
import dev.porthole.checks.Waiter.TargetState;
import dev.porthole.cli.CliException;
import dev.porthole.cli.DurationConverter;
import dev.porthole.cli.ExitCodes;
import dev.porthole.cli.OutputOptions;
import dev.porthole.cli.inventory.OwnerNotes;
import dev.porthole.cli.output.Terminal;
import dev.porthole.text.Durations;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Returns once every target is up (then runs a command), or explains each one still down. */
@Command(
    name = "wait",
    mixinStandardHelpOptions = true,
    description = {
      "Wait until every TARGET is up, in parallel, then run COMMAND (its exit code passes).",
      "On timeout, exit 1 and explain each target still down."
    },
    footer = {
      "",
      "TARGET is PORT, HOST:PORT, [IPv6]:PORT or an http(s):// URL, as for 'porthole check'.",
      "Attempts back off from 25ms up to --interval, so a target is never hammered.",
      "",
      "Examples:",
      "  porthole wait 5432 6379 --timeout 60s",
      "  porthole wait http://localhost:8080/health --status 200 -- npm test",
      "  porthole wait localhost:9200 --interval 1s -- ./run-integration-tests.sh"
    })
public final class WaitCommand implements Callable<Integer> {
  @Parameters(paramLabel = "TARGET", arity = "1..*", description = "Targets, then -- COMMAND.")
  List<String> positional;

  @Option(
      names = "--timeout",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description = "How long to wait for all targets (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = "--interval",
      defaultValue = "200ms",
      converter = DurationConverter.class,
      description = "The longest pause between two attempts (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(
      names = "--status",
      paramLabel = "CODE",
      description = "The HTTP status http(s) targets must answer, e.g. 200.")
  Integer status;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where the watch's history is read from on timeout.")
  java.nio.file.Path dataDir;

  @Mixin OutputOptions output;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    List<String> command = command();
    List<String> texts = positional.subList(0, positional.size() - command.size());
    List<Target> targets = validate(texts);
    Terminal terminal = output.terminal();
    PrintWriter err = spec.commandLine().getErr();
    long t0 = System.nanoTime();
    List<TargetState> states = await(texts, targets, terminal.interactive() && !output.json());
    List<TargetState> down = states.stream().filter(s -> !s.up()).toList();
    if (!down.isEmpty()) {
      return timedOut(down, targets, terminal);
    }
    if (output.json()) {
      output.printJson(spec.commandLine().getOut(), Map.of("up", true, "targets", texts));
    } else if (!command.isEmpty() || terminal.interactive()) {
      Duration took = Duration.ofMillis((System.nanoTime() - t0) / 1_000_000);
      err.println("wait: " + String.join(", ", texts) + " up after " + Durations.format(took));
    }
    return command.isEmpty() ? ExitCodes.OK : run(command);
  }

  private List<Target> validate(List<String> texts) {
    if (texts.isEmpty()) {
      throw CliException.usage("no TARGET before --");
    }
    List<Target> targets = texts.stream().map(Target::parse).toList();
    // As in 'check': an address literal that is no address is a usage error, found before waiting.
    targets.stream().filter(Target::literal).forEach(Target::literalAddress);
    if (status != null && (status < 100 || status > 599)) {
      throw CliException.usage("--status " + status + ": expected an HTTP status, 100-599");
    }
    if (status != null && targets.stream().noneMatch(t -> t.scheme().http())) {
      throw CliException.usage("--status needs an http:// or https:// target");
    }
    return targets;
  }

  private List<TargetState> await(List<String> texts, List<Target> targets, boolean showProgress)
      throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    Map<String, TargetState> latest = new ConcurrentHashMap<>();
    long t0 = System.nanoTime();
    Waiter.Progress onAttempt =
        state -> {
          latest.put(state.target(), state);
          if (showProgress) {
            progress(err, texts, latest, t0);
          }
        };
    List<TargetState> states = new Waiter(timeout, interval, status, onAttempt).await(targets);
    if (showProgress) {
      err.print("\r\u001b[K");
      err.flush();
    }
    return states;
  }

  /** Returns the words after {@code --}: picocli hands them over as positionals too. */
  private List<String> command() {
    List<String> original = spec.commandLine().getParseResult().originalArgs();
    int dash = original.indexOf("--");
    return dash < 0 ? List.of() : List.copyOf(original.subList(dash + 1, original.size()));
  }

  private static void progress(
      PrintWriter err, List<String> texts, Map<String, TargetState> latest, long t0) {
    StringBuilder sb = new StringBuilder("\r\u001b[Kwaiting ");
    sb.append(String.format(java.util.Locale.ROOT, "%.1fs:", (System.nanoTime() - t0) / 1e9));
    for (String t : texts) {
      TargetState s = latest.get(t);
      sb.append(' ')
          .append(t)
          .append(s == null ? " …" : s.up() ? " up" : " down (" + s.attempts() + ")");
    }
    synchronized (err) {
      err.print(sb);
      err.flush();
    }
  }

  private int timedOut(List<TargetState> down, List<Target> targets, Terminal terminal) {
    CommandRunner runner = CommandRunner.system(Duration.ofSeconds(3));
    List<CheckResult> results = new ArrayList<>();
    for (TargetState s : down) {
      Target t =
          targets.stream().filter(x -> x.text().equals(s.target())).findFirst().orElseThrow();
      Check check = new Check(Duration.ofSeconds(2), runner, Diagnoser.system(runner, t.port()));
      results.add(check.run(t)); // up by now, or up with the wrong status: the state says why
    }
    if (output.json()) {
      output.printJson(spec.commandLine().getOut(), Map.of("up", false, "down", results));
      return ExitCodes.NO;
    }
    PrintWriter err = spec.commandLine().getErr();
    err.println(
        "wait: timed out after "
            + Durations.format(timeout)
            + "; "
            + down.size()
            + " of "
            + targets.size()
            + " not up:");
    for (int i = 0; i < down.size(); i++) {
      CheckResult r = results.get(i);
      if (r.up()) {
        err.println(terminal.red("DOWN") + "  " + down.get(i).target() + ": " + down.get(i).why());
      } else {
        CheckReport.printDiagnosis(err, terminal, r.target(), r.diagnosis());
        String text = down.get(i).target();
        int port =
            targets.stream().filter(x -> x.text().equals(text)).findFirst().orElseThrow().port();
        OwnerNotes.print(err, terminal, OwnerNotes.explain(dataDir, port));
      }
    }
    err.flush();
    return ExitCodes.NO;
  }

  private int run(List<String> command) throws InterruptedException {
    try {
      Process p = new ProcessBuilder(command).inheritIO().start();
      return p.waitFor();
    } catch (IOException e) {
      throw CliException.failure("cannot run " + command.get(0) + ": " + e.getMessage());
    }
  }
}
