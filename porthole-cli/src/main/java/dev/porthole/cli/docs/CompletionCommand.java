package dev.porthole.cli.docs;

import dev.porthole.cli.CliException;
import dev.porthole.cli.ExitCodes;
import dev.porthole.cli.docs.Completions;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Prints a bash, zsh or fish completion script for every porthole command. */
@Command(
    mixinStandardHelpOptions = true,
    name = "completion",
    description = "Print a bash, zsh or fish completion script.",
    footer = {
      "",
      "The .deb installs all three in the shells' system folders; from a checkout, load one:",
      "",
      "Examples:",
      "  source <(porthole completion)                     bash, this shell",
      "  porthole completion > ~/.local/share/bash-completion/completions/porthole",
      "  porthole completion zsh > ~/.zfunc/_porthole       zsh (with ~/.zfunc in fpath)",
      "  porthole completion fish > ~/.config/fish/completions/porthole.fish"
    })
public final class CompletionCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "SHELL",
      defaultValue = "bash",
      description = "bash (the default), zsh or fish.")
  String shell;

  @Override
  public Integer call() {
    Completions script = null;
    for (Completions c : Completions.values()) {
      if (c.shell().equals(shell)) {
        script = c;
      }
    }
    if (script == null) {
      throw CliException.usage("SHELL " + shell + ": expected bash, zsh or fish");
    }
    CommandLine root = spec.commandLine().getParent();
    spec.commandLine().getOut().print(script.script(root));
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
