package dev.porthole.cli.routing;

import dev.porthole.cli.DaemonClient;
import dev.porthole.cli.ExitCodes;
import dev.porthole.cli.OutputOptions;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Removes a route; exit 1 when there is none of that name. */
@Command(
    name = "remove",
    aliases = "rm",
    mixinStandardHelpOptions = true,
    description = "Remove a route (exit 1 when there is none of that name).",
    footer = {"", "Examples:", "  porthole route remove web.localhost"})
final class RouteRemoveCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin OutputOptions output;
  @Mixin DaemonClient daemon;

  @Parameters(index = "0", paramLabel = "NAME", description = "The route's name.")
  String name;

  @Override
  public Integer call() {
    daemon.send("DELETE", "/api/routes/" + URLEncoder.encode(name, StandardCharsets.UTF_8), null);
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      output.printJson(out, Map.of("removed", name));
    } else {
      out.println("removed route " + name);
      out.flush();
    }
    return ExitCodes.OK;
  }
}
