package dev.porthole.cli.firewall;

import picocli.CommandLine.Command;

/** Returns {@code firewall block}: a DROP rule for a port, removed when the time is up. */
@Command(
    name = "block",
    mixinStandardHelpOptions = true,
    description = {
      "Insert a DROP rule for PORT ahead of the other rules, and remove it when --for is up.",
      "With a daemon running (porthole up, as root) the daemon holds the timer and the command"
          + " returns at once; without one, or with --foreground, the command stays in the"
          + " foreground and also removes the rule on Ctrl-C/SIGTERM.",
    },
    footer = {
      "",
      "Examples:",
      "  sudo porthole firewall block 5432 --for 30s      see how the app copes without its db",
      "  sudo porthole firewall block 53 --udp --for 10s",
      "  sudo porthole firewall block 8080 --for 1m --foreground    hold it here, not in the daemon"
    })
final class BlockCommand extends RuleCommand {
  @Override
  String verdict() {
    return "drop";
  }
}
