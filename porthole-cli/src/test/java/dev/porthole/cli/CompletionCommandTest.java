package dev.porthole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code porthole completion [bash|zsh|fish]}: scripts a shell accepts, and bad input. */
@Timeout(60)
class CompletionCommandTest {
  @TempDir Path dir;

  @Test
  void bashIsTheDefaultAndBashAcceptsTheScript() throws Exception {
    Cli result = Cli.run("completion");
    assertThat(result.exit()).isZero();
    assertThat(result.out()).isEqualTo(Cli.run("completion", "bash").out());

    Path script = Files.writeString(dir.resolve("porthole.bash"), result.out());
    // Sourced for real: it must define the completion function without an error.
    Process bash =
        new ProcessBuilder(
                "bash", "-c", "source " + script + " && complete -p porthole && type -t _complete_porthole")
            .redirectErrorStream(true)
            .start();
    String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(bash.exitValue()).as(out).isZero();
    assertThat(out).contains("-F _complete_porthole porthole").endsWith("function\n");
  }

  @Test
  void printsZshAndFishScriptsTheirShellsParse() throws Exception {
    String zsh = Cli.run("completion", "zsh").out();
    String fish = Cli.run("completion", "fish").out();

    assertThat(zsh).startsWith("#compdef porthole\n");
    assertThat(fish).startsWith("# fish completion for porthole").contains("-a 'who'");
    assertThat(parse("zsh", Files.writeString(dir.resolve("_porthole"), zsh))).isEmpty();
    assertThat(parse("fish", Files.writeString(dir.resolve("porthole.fish"), fish))).isEmpty();
  }

  /** Returns what {@code shell -n} (parse only) says about {@code script}: empty when it is valid. */
  private static String parse(String shell, Path script) throws Exception {
    Process p = new ProcessBuilder(shell, "-n", script.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return p.exitValue() == 0 ? out : "exit " + p.exitValue() + ": " + out;
  }

  @Test
  void anUnknownShellIsAUsageError() {
    Cli result = Cli.run("completion", "tcsh");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("SHELL tcsh: expected bash, zsh or fish");
    assertThat(result.out()).isEmpty();
  }
}
