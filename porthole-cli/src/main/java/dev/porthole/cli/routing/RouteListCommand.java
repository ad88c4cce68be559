package dev.porthole.cli.routing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.porthole.cli.DaemonClient;
import dev.porthole.cli.ExitCodes;
import dev.porthole.cli.OutputOptions;
import dev.porthole.cli.output.Table;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Lists the daemon's routes with their upstreams and which are being skipped. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "List the routes: name, upstreams (skipped ones marked), the URL.",
    footer = {"", "Examples:", "  porthole route list", "  porthole route list --json"})
final class RouteListCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin OutputOptions output;
  @Mixin DaemonClient daemon;

  @Override
  public Integer call() {
    JsonNode routes = daemon.get("/api/routes");
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      output.printJson(out, routes);
      return ExitCodes.OK;
    }
    if (routes == null || routes.isEmpty()) {
      out.println("no routes (add one: porthole route add api.localhost 127.0.0.1:8080)");
      out.flush();
      return ExitCodes.OK;
    }
    JsonNode router = daemon.get("/api/router");
    int https =
        router != null && router.path("running").asBoolean() ? router.get("httpsPort").asInt() : -1;
    Table table = new Table("NAME", "UPSTREAMS", "URL");
    for (JsonNode r : routes) {
      List<String> ups = new ArrayList<>();
      for (JsonNode u : r.get("upstreams")) {
        ups.add(
            u.get("address").asText()
                + (u.get("skipped").asBoolean() ? " (skipped: refused)" : ""));
      }
      String name = r.get("name").asText();
      String url = https < 0 ? "-" : "https://" + name + (https == 443 ? "" : ":" + https) + "/";
      table.row(name, String.join(", ", ups), url);
    }
    table.print(out, output.terminal());
    return ExitCodes.OK;
  }
}
