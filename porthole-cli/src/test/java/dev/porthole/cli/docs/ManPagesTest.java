package dev.porthole.cli.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.cli.Porthole;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Checks that every command has a man page and that troff renders each one cleanly. */
@Timeout(120)
class ManPagesTest {
  @TempDir Path dir;

  private static CommandLine tree() {
    PrintWriter sink = new PrintWriter(new StringWriter());
    return Porthole.commandLine(sink, sink);
  }

  /** Returns "porthole", "porthole-ports", "porthole-toxic-add", ...: walked as HelpTest does. */
  private static List<String> everyVisibleCommand(CommandLine cmd, String name, List<String> out) {
    out.add(name);
    for (Map.Entry<String, CommandLine> sub : cmd.getSubcommands().entrySet()) {
      boolean alias = !sub.getValue().getCommandName().equals(sub.getKey());
      if (!alias && !sub.getValue().getCommandSpec().usageMessage().hidden()) {
        everyVisibleCommand(sub.getValue(), name + "-" + sub.getKey(), out);
      }
    }
    return out;
  }

  private record Groff(int exit, String out, String err) {}

  private static Groff groff(Path page) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("groff", "-man", "-Tutf8", "-ww", "-P-cbou", page.toString()).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Groff(
        p.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }

  @Test
  void everyCommandAndSubcommandHasItsOwnManPage() throws IOException {
    GenerateDocs.write(tree(), dir);

    TreeSet<String> expected = new TreeSet<>();
    for (String name : everyVisibleCommand(tree(), "porthole", new ArrayList<>())) {
      expected.add(name + ".1");
    }
    TreeSet<String> written = new TreeSet<>();
    try (var files = Files.list(dir.resolve("man/man1"))) {
      files.forEach(f -> written.add(f.getFileName().toString()));
    }
    assertThat(written).isEqualTo(expected);
    assertThat(written)
        .contains("porthole.1", "porthole-ports.1", "porthole-toxic-add.1", "porthole-policy-check.1")
        .doesNotContain("porthole-aot-train.1");
  }

  @Test
  void troffRendersEveryPageWithoutAWarning() throws Exception {
    GenerateDocs.write(tree(), dir);
    try (var files = Files.list(dir.resolve("man/man1"))) {
      for (Path page : files.toList()) {
        Groff result = groff(page);
        assertThat(result.err()).as(page.getFileName() + " warnings").isEmpty();
        assertThat(result.exit()).isZero();
      }
    }
  }

  @Test
  void aPageShowsTheHelpTextOptionsAndExamplesOfItsCommand() throws Exception {
    GenerateDocs.write(tree(), dir);

    String ports = groff(dir.resolve("man/man1/porthole-ports.1")).out();
    assertThat(ports)
        .contains("porthole-ports - List listening TCP and UDP sockets")
        .contains("SYNOPSIS", "OPTIONS", "EXAMPLES", "SEE ALSO")
        .contains("-p, --port=PORT|A-B")
        .contains("--json")
        .contains("porthole ports --all                connections too");

    String root = groff(dir.resolve("man/man1/porthole.1")).out();
    assertThat(root).contains("COMMANDS").contains("See porthole-ports(1).");
  }

  @Test
  void writesTheThreeCompletionScripts() throws IOException {
    GenerateDocs.write(tree(), dir);

    Path completions = dir.resolve("completions");
    assertThat(Files.readString(completions.resolve("porthole")))
        .contains("complete -F _complete_porthole -o default porthole");
    assertThat(Files.readString(completions.resolve("_porthole")))
        .startsWith("#compdef porthole\n")
        .endsWith("_bash_complete -F _complete_porthole \"$@\"\n");
    assertThat(Files.readString(completions.resolve("porthole.fish")))
        .contains("complete -c porthole -n '__fish_use_subcommand' -a 'ports' -d 'List listening")
        .contains(
            "complete -c porthole -n '__fish_seen_subcommand_from toxic; and not"
                + " __fish_seen_subcommand_from add update remove list types' -a 'add'")
        .contains("complete -c porthole -n '__fish_seen_subcommand_from ports' -s p -l port -r");
  }
}
