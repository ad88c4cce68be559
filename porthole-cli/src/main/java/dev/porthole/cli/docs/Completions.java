package dev.porthole.cli.docs;

import java.util.Locale;
import picocli.AutoComplete;
import picocli.CommandLine;

/** The completion scripts porthole ships: bash (picocli's), zsh (the same, via bashcompinit), fish. */
public enum Completions {
  /** Installed as {@code /usr/share/bash-completion/completions/porthole}. */
  BASH("porthole"),
  /** Installed as {@code /usr/share/zsh/vendor-completions/_porthole}, autoloaded by compinit. */
  ZSH("_porthole"),
  /** Installed as {@code /usr/share/fish/vendor_completions.d/porthole.fish}. */
  FISH("porthole.fish");

  private final String fileName;

  Completions(String fileName) {
    this.fileName = fileName;
  }

  /** Returns the file name the shell looks for in its system completion folder. */
  public String fileName() {
    return fileName;
  }

  /** Returns the shell's name as typed on the command line: bash, zsh, fish. */
  public String shell() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Returns the script that completes {@code root}'s whole command tree in this shell. */
  public String script(CommandLine root) {
    String name = root.getCommandName();
    return switch (this) {
      case BASH -> AutoComplete.bash(name, root);
      // picocli's bash script runs in zsh through bashcompinit (it sets that up itself); the
      // #compdef line lets compinit autoload it from fpath, and the last line answers the
      // completion that triggered the autoload.
      case ZSH ->
          "#compdef "
              + name
              + "\n"
              + AutoComplete.bash(name, root)
              + "\n_bash_complete -F _complete_"
              + name
              + " \"$@\"\n";
      case FISH -> FishCompletion.of(root.getCommandSpec());
    };
  }
}
