package dev.porthole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Checks that main's one-subcommand command line behaves like the full tree. */
class FastPathTest {
  static Cli fast(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        Porthole.commandLineFor(args, new PrintWriter(out), new PrintWriter(err)).execute(args);
    return new Cli(exit, out.toString(), err.toString());
  }

  @Test
  void printsTheSameErrorsHelpAndAnswersAsTheFullTree() {
    for (String[] args :
        new String[][] {
          {"who", "abc"},
          {"who", "--help"},
          {"info", "3000"},
          {"free", "--range", "9-2"},
          {"ports", "--scope", "planet"},
          {"kill", "8080", "--signal", "BOGUS"},
          {"--version"},
          {"-V"},
          {"--version", "--debug"},
          {"nosuch"}
        }) {
      assertThat(fast(args)).as(String.join(" ", args)).isEqualTo(Cli.run(args));
    }
  }

  @Test
  void everySubcommandsHelpIsTheSameOnBothPaths() {
    PrintWriter sink = new PrintWriter(new StringWriter());
    for (String name : Porthole.commandLine(sink, sink).getSubcommands().keySet()) {
      String[] args = {name, "--help"};
      assertThat(fast(args)).as(name + " --help").isEqualTo(Cli.run(args));
    }
  }

  @Test
  void buildsOnlyTheNamedSubcommand() {
    PrintWriter sink = new PrintWriter(new StringWriter());

    assertThat(Porthole.commandLineFor(new String[] {"who", "1"}, sink, sink).getSubcommands())
        .containsOnlyKeys("who");
    assertThat(Porthole.commandLineFor(new String[] {"completion"}, sink, sink).getSubcommands())
        .containsKeys("who", "ports", "completion");
    assertThat(Porthole.commandLineFor(new String[] {"--version"}, sink, sink).getSubcommands())
        .isEmpty();
  }
}
