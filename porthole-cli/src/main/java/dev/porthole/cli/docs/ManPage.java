package dev.porthole.cli.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * One command's man page in troff, rendered from its picocli {@link CommandSpec}: the same
 * descriptions, options and examples {@code --help} prints, so the two never drift.
 *
 * <pre>
 * String page = ManPage.of(spec, "0.1.0").render();   // porthole-toxic-add(1)
 * </pre>
 */
public record ManPage(CommandSpec spec, String version) {
  /** Returns the page of {@code spec} for porthole {@code version}. */
  public static ManPage of(CommandSpec spec, String version) {
    return new ManPage(spec, version);
  }

  /** Returns the page's name without section: {@code porthole-toxic-add}. */
  public String name() {
    return spec.qualifiedName("-");
  }

  /** Returns the file name the page is installed under: {@code porthole-toxic-add.1}. */
  public String fileName() {
    return name() + ".1";
  }

  /** Returns the troff source of the page. */
  public String render() {
    StringBuilder out = new StringBuilder();
    out.append(".TH \"")
        .append(name().toUpperCase(java.util.Locale.ROOT))
        .append("\" \"1\" \"\" \"porthole ")
        .append(Roff.escape(version))
        .append("\" \"porthole manual\"\n");
    section(out, "NAME").append(Roff.escape(name())).append(" \\- ");
    String[] description = spec.usageMessage().description();
    out.append(description.length > 0 ? Roff.escape(description[0]) : "").append('\n');
    synopsis(out);
    if (description.length > 1) {
      section(out, "DESCRIPTION");
      paragraphs(out, List.of(description).subList(1, description.length));
    }
    arguments(out);
    options(out);
    commands(out);
    footer(out);
    seeAlso(out);
    return out.toString();
  }

  private static StringBuilder section(StringBuilder out, String title) {
    return out.append(".SH ").append(title).append('\n');
  }

  private void synopsis(StringBuilder out) {
    Help help = new Help(spec, Help.defaultColorScheme(Help.Ansi.OFF));
    String synopsis = help.synopsis(0).strip().replaceFirst("^Usage: ", "");
    section(out, "SYNOPSIS").append(".nf\n");
    synopsis.lines().forEach(line -> out.append(Roff.escape(line.strip())).append('\n'));
    out.append(".fi\n");
  }

  private void arguments(StringBuilder out) {
    List<PositionalParamSpec> params =
        spec.positionalParameters().stream().filter(p -> !p.hidden()).toList();
    if (params.isEmpty()) {
      return;
    }
    section(out, "ARGUMENTS");
    for (PositionalParamSpec param : params) {
      item(out, Roff.italic(param.paramLabel()), param);
    }
  }

  private void options(StringBuilder out) {
    List<OptionSpec> options = spec.options().stream().filter(o -> !o.hidden()).toList();
    if (options.isEmpty()) {
      return;
    }
    section(out, "OPTIONS");
    for (OptionSpec option : options) {
      List<String> names = new ArrayList<>();
      for (String name : option.names()) {
        names.add(Roff.bold(name));
      }
      String label = String.join(", ", names);
      if (option.arity().max() > 0) {
        label += "=" + Roff.italic(option.paramLabel());
      }
      item(out, label, option);
    }
  }

  private static void item(StringBuilder out, String label, ArgSpec arg) {
    out.append(".TP\n").append(label).append('\n');
    for (String line : arg.renderedDescription()) {
      out.append(Roff.escape(line)).append('\n');
    }
  }

  private void commands(StringBuilder out) {
    List<CommandSpec> subs = subcommands(spec);
    if (subs.isEmpty()) {
      return;
    }
    section(out, "COMMANDS");
    for (CommandSpec sub : subs) {
      String[] description = sub.usageMessage().description();
      out.append(".TP\n")
          .append(Roff.bold(sub.name()))
          .append('\n')
          .append(description.length > 0 ? Roff.escape(description[0]) : "")
          .append("\nSee ")
          .append(Roff.bold(sub.qualifiedName("-")))
          .append("(1).\n");
    }
  }

  private void footer(StringBuilder out) {
    List<String> footer = new ArrayList<>(List.of(spec.usageMessage().footer()));
    while (!footer.isEmpty() && footer.getFirst().isBlank()) {
      footer.removeFirst();
    }
    if (footer.isEmpty()) {
      return;
    }
    // Footers hold examples and notes laid out in columns: keep their layout verbatim.
    boolean examples = footer.getFirst().strip().startsWith("Example");
    section(out, examples ? "EXAMPLES" : "NOTES");
    if (examples) {
      footer.removeFirst();
    }
    out.append(".nf\n");
    footer.forEach(line -> out.append(Roff.escape(line)).append('\n'));
    out.append(".fi\n");
  }

  private void seeAlso(StringBuilder out) {
    List<String> related = new ArrayList<>();
    if (spec.parent() != null) {
      related.add(Roff.bold(spec.parent().qualifiedName("-")) + "(1)");
    }
    for (CommandSpec sub : subcommands(spec)) {
      related.add(Roff.bold(sub.qualifiedName("-")) + "(1)");
    }
    if (!related.isEmpty()) {
      section(out, "SEE ALSO").append(String.join(", ", related)).append('\n');
    }
  }

  private static void paragraphs(StringBuilder out, List<String> lines) {
    for (String line : lines) {
      out.append(line.isBlank() ? ".PP" : Roff.escape(line)).append('\n');
    }
  }

  /** Returns the visible subcommands of {@code spec}, each once (aliases skipped). */
  static List<CommandSpec> subcommands(CommandSpec spec) {
    List<CommandSpec> subs = new ArrayList<>();
    for (Map.Entry<String, CommandLine> entry : spec.subcommands().entrySet()) {
      CommandSpec sub = entry.getValue().getCommandSpec();
      if (sub.name().equals(entry.getKey()) && !sub.usageMessage().hidden()) {
        subs.add(sub);
      }
    }
    return subs;
  }
}
