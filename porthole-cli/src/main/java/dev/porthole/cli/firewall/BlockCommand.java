package dev.porthole.cli.firewall;

import picocli.CommandLine.Command;

/** Returns {@code firewall block}: a DROP rule for a port, removed when the time is up. */
@Command(
    name = "block",
    mixinStandardHelpOptions = true,
    description = {
      "Insert a DROP rule for PORT ahead of the other rules, and remove it when --for is up or on"
          + " Ctrl-C/SIGTERM (the command stays in the foreground until then).",
    },
    footer = {
      "",
      "Examples:",
      "  sudo porthole firewall block 5432 --for 30s      see how the app copes without its db",
      "  sudo porthole firewall block 53 --udp --for 10s"
    })
final class BlockCommand extends RuleCommand {
  @Override
  String verdict() {
    return "drop";
  }
}
