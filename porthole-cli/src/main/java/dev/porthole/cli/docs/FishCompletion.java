package dev.porthole.cli.docs;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A fish completion script for a picocli command tree: one {@code complete} line per subcommand and
 * option, guarded by the subcommands already typed, with the option's description.
 */
public final class FishCompletion {
  private final String program;
  private final StringBuilder out = new StringBuilder();

  private FishCompletion(String program) {
    this.program = program;
  }

  /** Returns the fish script that completes {@code root}'s tree. */
  public static String of(CommandSpec root) {
    FishCompletion fish = new FishCompletion(root.name());
    fish.out.append("# fish completion for ").append(root.name()).append(", generated from its");
    fish.out.append(" command tree.\ncomplete -c ").append(root.name()).append(" -f\n");
    fish.command(root, List.of());
    return fish.out.toString();
  }

  private void command(CommandSpec spec, List<String> path) {
    List<CommandSpec> subs = ManPage.subcommands(spec);
    String here = condition(path);
    List<String> names = subs.stream().map(CommandSpec::name).toList();
    for (CommandSpec sub : subs) {
      String[] description = sub.usageMessage().description();
      String guard =
          path.isEmpty()
              ? "__fish_use_subcommand"
              : here + "; and not __fish_seen_subcommand_from " + String.join(" ", names);
      line(guard, "-a " + quote(sub.name()), description.length > 0 ? description[0] : "");
    }
    for (OptionSpec option : spec.options()) {
      if (!option.hidden()) {
        option(path.isEmpty() ? "__fish_use_subcommand" : here, option);
      }
    }
    for (CommandSpec sub : subs) {
      List<String> next = new ArrayList<>(path);
      next.add(sub.name());
      command(sub, next);
    }
  }

  private void option(String guard, OptionSpec option) {
    StringBuilder flags = new StringBuilder();
    for (String name : option.names()) {
      if (name.startsWith("--")) {
        flags.append(" -l ").append(name.substring(2));
      } else if (name.length() == 2) {
        flags.append(" -s ").append(name.substring(1));
      } else {
        flags.append(" -o ").append(name.substring(1)); // old style: -version
      }
    }
    if (option.arity().max() > 0) {
      flags.append(" -r");
      Iterable<String> candidates = option.completionCandidates();
      if (candidates != null) {
        flags.append(" -a ").append(quote(String.join(" ", candidates)));
      }
    }
    String[] description = option.renderedDescription();
    line(guard, flags.substring(1), description.length > 0 ? description[0] : "");
  }

  private void line(String guard, String what, String description) {
    out.append("complete -c ").append(program).append(" -n ").append(quote(guard)).append(' ');
    out.append(what).append(" -d ").append(quote(description)).append('\n');
  }

  private static String condition(List<String> path) {
    List<String> parts = new ArrayList<>();
    for (String name : path) {
      parts.add("__fish_seen_subcommand_from " + name);
    }
    return String.join("; and ", parts);
  }

  private static String quote(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
