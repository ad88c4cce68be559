package dev.porthole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Checks the CLI conventions that hold for every command, including nested ones. */
class HelpTest {
  private static List<List<String>> everyCommandPath() {
    PrintWriter sink = new PrintWriter(new StringWriter());
    List<List<String>> paths = new ArrayList<>();
    collect(Porthole.commandLine(sink, sink), new ArrayList<>(), paths);
    return paths;
  }

  private static void collect(CommandLine cmd, List<String> path, List<List<String>> out) {
    for (var sub : cmd.getSubcommands().entrySet()) {
      if (!sub.getValue().getCommandName().equals(sub.getKey())) {
        continue; // an alias of a command already listed
      }
      List<String> next = new ArrayList<>(path);
      next.add(sub.getKey());
      out.add(next);
      collect(sub.getValue(), next, out);
    }
  }

  @Test
  void everyCommandAndSubcommandAnswersHelpWithItsUsage() {
    List<List<String>> paths = everyCommandPath();
    assertThat(paths)
        .extracting(p -> String.join(" ", p))
        .contains("ports", "proxies", "toxic add", "policy check", "up", "scan");
    for (List<String> path : paths) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      Cli result = Cli.run(args.toArray(String[]::new));

      String name = String.join(" ", path);
      assertThat(result.exit()).as(name + " --help exit").isZero();
      assertThat(result.out()).as(name + " --help").startsWith("Usage: porthole " + name);
      assertThat(result.err()).as(name + " --help stderr").isEmpty();
    }
  }

  @Test
  void everyUserFacingCommandDocumentsExamples() {
    for (List<String> path : everyCommandPath()) {
      String name = String.join(" ", path);
      if (name.equals("aot-train")) {
        continue; // hidden, run by the launcher only
      }
      Cli result = Cli.run(concat(path, "--help"));
      assertThat(result.out()).as(name + " --help").contains("Example");
    }
  }

  @Test
  void everySummaryInACommandListIsAWholeSentence() {
    // The command list shows only a description's first line: it must not stop mid-sentence.
    PrintWriter sink = new PrintWriter(new StringWriter());
    List<String> cut = new ArrayList<>();
    summaries(Porthole.commandLine(sink, sink), cut);
    assertThat(cut).as("summaries cut mid-sentence").isEmpty();
  }

  private static void summaries(CommandLine cmd, List<String> cut) {
    for (var sub : cmd.getSubcommands().entrySet()) {
      String[] description = sub.getValue().getCommandSpec().usageMessage().description();
      String first = description.length == 0 ? "" : description[0].strip();
      if (!first.endsWith(".") && !first.endsWith(".)")) {
        cut.add(sub.getKey() + ": " + first);
      }
      summaries(sub.getValue(), cut);
    }
  }

  private static String[] concat(List<String> path, String last) {
    List<String> args = new ArrayList<>(path);
    args.add(last);
    return args.toArray(String[]::new);
  }
}
