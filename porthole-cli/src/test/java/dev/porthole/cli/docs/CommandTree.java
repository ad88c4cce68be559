package dev.porthole.cli.docs;

import dev.porthole.cli.Porthole;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;

/** The real picocli tree of porthole, as command paths ("ports", "toxic add"), aliases left out. */
final class CommandTree {
  private CommandTree() {}

  /** Returns a fresh command line whose output goes nowhere. */
  static CommandLine fresh() {
    PrintWriter sink = new PrintWriter(new StringWriter());
    return Porthole.commandLine(sink, sink);
  }

  /** Returns every command and subcommand, hidden ones included, walked as HelpTest does. */
  static Set<String> paths() {
    Set<String> out = new LinkedHashSet<>();
    collect(fresh(), new ArrayList<>(), out);
    return out;
  }

  /** Returns the longest prefix of the words that is a command path, or "" when none is. */
  static String longestCommand(List<String> words, Set<String> paths) {
    String found = "";
    for (int n = 1; n <= words.size(); n++) {
      String candidate = String.join(" ", words.subList(0, n));
      if (paths.contains(candidate)) {
        found = candidate;
      }
    }
    return found;
  }

  private static void collect(CommandLine cmd, List<String> path, Set<String> out) {
    for (var sub : cmd.getSubcommands().entrySet()) {
      if (!sub.getValue().getCommandName().equals(sub.getKey())) {
        continue; // an alias of a command already listed
      }
      List<String> next = new ArrayList<>(path);
      next.add(sub.getKey());
      out.add(String.join(" ", next));
      collect(sub.getValue(), next, out);
    }
  }
}
