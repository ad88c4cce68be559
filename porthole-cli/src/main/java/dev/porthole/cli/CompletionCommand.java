package dev.porthole.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Prints a bash/zsh completion script for every porthole command. */
@Command(
    mixinStandardHelpOptions = true,
    name = "completion",
    description = "Print a bash/zsh completion script.",
    footer = {
      "",
      "Examples:",
      "  source <(porthole completion)",
      "  porthole completion > /etc/bash_completion.d/porthole"
    })
final class CompletionCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    CommandLine root = spec.commandLine().getParent();
    spec.commandLine().getOut().print(AutoComplete.bash("porthole", root));
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
