package dev.porthole.cli.routing;

import picocli.CommandLine.Command;

/** Returns {@code porthole route}: names under .localhost routed to local ports by the daemon. */
@Command(
    name = "route",
    mixinStandardHelpOptions = true,
    description = "Route https://NAME.localhost to a local port (the daemon's router).",
    subcommands = {RouteAddCommand.class, RouteListCommand.class, RouteRemoveCommand.class},
    footer = {
      "",
      "Examples:",
      "  porthole route add api.localhost 127.0.0.1:8080",
      "  porthole route add web.localhost 5173",
      "  porthole route add app.localhost 3000 3001     # round-robin, skips one that refuses",
      "  porthole route list",
      "  porthole route remove web.localhost"
    })
public final class RouteCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
