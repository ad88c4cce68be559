package dev.porthole.cli.firewall;

import picocli.CommandLine.Command;

/** Returns {@code firewall allow}: an ACCEPT rule for a port, removed when the time is up. */
@Command(
    name = "allow",
    mixinStandardHelpOptions = true,
    description = {
      "Insert a ACCEPT rule for PORT ahead of the other rules, and remove it when --for is up.",
      "With a daemon running (porthole up, as root) the daemon holds the timer and the command"
          + " returns at once; without one, or with --foreground, the command stays in the"
          + " foreground and also removes the rule on Ctrl-C/SIGTERM.",
    },
    footer = {
      "",
      "Examples:",
      "  sudo porthole firewall allow 62893 --for 10m",
      "  sudo porthole firewall allow 5353 --udp --for 1m --interface lo",
      "  sudo porthole firewall allow 8080 --keep     until 'porthole firewall remove ID'",
      "  porthole firewall allow 8080 --for 1m --url http://127.0.0.1:62893   a root daemon holds"
          + " it"
    })
final class AllowCommand extends RuleCommand {
  @Override
  String verdict() {
    return "accept";
  }
}
