package dev.porthole.cli.checks;

import dev.porthole.checks.Check;
import dev.porthole.checks.CheckResult;
import dev.porthole.checks.CommandRunner;
import dev.porthole.checks.Diagnoser;
import dev.porthole.checks.Target;
import dev.porthole.cli.DurationConverter;
import dev.porthole.cli.ExitCodes;
import dev.porthole.cli.OutputOptions;
import dev.porthole.cli.inventory.OwnerNotes;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Returns whether a target answers, step by step, and why not when it does not. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Connect to a target step by step and explain a failure in plain words, with the fix.",
      "The steps (resolve, connect, TLS, request, first byte) are timed one by one."
    },
    footer = {
      "",
      "TARGET is PORT (127.0.0.1), HOST:PORT, [IPv6]:PORT, or an http:// or https:// URL.",
      "Exit codes: 0 up, 1 down, 2 bad input.",
      "",
      "Examples:",
      "  porthole check 62893",
      "  porthole check localhost:8080",
      "  porthole check [::1]:5173",
      "  porthole check http://localhost:8080/health --timeout 2s",
      "  porthole check https://127.0.0.1:8443 --json"
    })
public final class CheckCommand implements Callable<Integer> {
  @Parameters(paramLabel = "TARGET", description = "What to check.")
  String target;

  @Option(
      names = "--timeout",
      defaultValue = "3s",
      converter = DurationConverter.class,
      description = "How long each step may take: 200ms, 3s, 1m (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where the watch's history is read from when the target is down.")
  java.nio.file.Path dataDir;

  @Mixin OutputOptions output;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Target parsed = Target.parse(target);
    CommandRunner runner = CommandRunner.system(Duration.ofSeconds(3));
    Check check = new Check(timeout, runner, Diagnoser.system(runner, parsed.port()));
    CheckResult result = check.run(parsed);
    PrintWriter out = spec.commandLine().getOut();
    java.util.List<String> owner =
        result.up() ? java.util.List.of() : OwnerNotes.explain(dataDir, parsed.port());
    if (output.json()) {
      output.printJson(out, owner.isEmpty() ? result : OwnerNotes.withNotes(result, owner));
    } else {
      CheckReport.print(out, output.terminal(), result);
      OwnerNotes.print(out, output.terminal(), owner);
    }
    return result.up() ? ExitCodes.OK : ExitCodes.NO;
  }
}
