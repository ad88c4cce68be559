package dev.porthole.cli.firewall;

import picocli.CommandLine.Command;

/** Returns {@code firewall allow}: an ACCEPT rule for a port, removed when the time is up. */
@Command(
    name = "allow",
    mixinStandardHelpOptions = true,
    description = {
      "Insert an ACCEPT rule for PORT ahead of the other rules, and remove it when --for is up or"
          + " on Ctrl-C/SIGTERM (the command stays in the foreground until then).",
    },
    footer = {
      "",
      "Examples:",
      "  sudo porthole firewall allow 62893 --for 10m",
      "  sudo porthole firewall allow 5353 --udp --for 1m --interface lo",
      "  sudo porthole firewall allow 8080 --keep     until 'porthole firewall remove ID'"
    })
final class AllowCommand extends RuleCommand {
  @Override
  String verdict() {
    return "accept";
  }
}
