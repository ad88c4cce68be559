package dev.porthole.cli.firewall;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Returns {@code porthole firewall}: packet filter rules that undo themselves. */
@Command(
    name = "firewall",
    mixinStandardHelpOptions = true,
    description = {
      "Add packet filter rules that remove themselves: allow or block a port for a while, with"
          + " whichever filter is in charge (ufw when active, else nftables or iptables). Every"
          + " rule carries the comment porthole:ID and is recorded in the store first; porthole"
          + " never touches a rule it did not add.",
    },
    subcommands = {
      AllowCommand.class,
      BlockCommand.class,
      FirewallListCommand.class,
      FirewallCleanCommand.class,
      FirewallRemoveCommand.class,
    },
    footer = {
      "",
      "Examples:",
      "  sudo porthole firewall allow 62893 --for 10m --interface lo",
      "  sudo porthole firewall block 5432 --for 30s",
      "  porthole firewall list",
      "  sudo porthole firewall clean        remove what a crash or kill -9 left behind"
    })
public final class FirewallCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
