package dev.porthole.cli.routing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.porthole.cli.CliException;
import dev.porthole.cli.DaemonClient;
import dev.porthole.cli.ExitCodes;
import dev.porthole.cli.OutputOptions;
import dev.porthole.routing.RouteException;
import dev.porthole.routing.RouteName;
import dev.porthole.routing.Upstream;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Adds a route: the name is checked here first, so a bad one never reaches the daemon. */
@Command(
    name = "add",
    mixinStandardHelpOptions = true,
    description = "Add a route: NAME under .localhost, one or more upstreams (HOST:PORT or PORT).",
    footer = {
      "",
      "Examples:",
      "  porthole route add api.localhost 127.0.0.1:8080",
      "  porthole route add web.localhost 5173",
      "  porthole route add app.localhost 3000 [::1]:3001 --json"
    })
final class RouteAddCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin OutputOptions output;
  @Mixin DaemonClient daemon;

  @Parameters(index = "0", paramLabel = "NAME", description = "A name under .localhost.")
  String name;

  @Parameters(
      index = "1..*",
      arity = "1..*",
      paramLabel = "UPSTREAM",
      description = "HOST:PORT or PORT (127.0.0.1); several are used in turn.")
  List<String> upstreams;

  @Override
  public Integer call() {
    String checked;
    List<String> ups;
    try {
      checked = RouteName.check(name);
      ups = upstreams.stream().map(u -> Upstream.parse(u).toString()).toList();
    } catch (RouteException e) {
      throw CliException.usage(e.getMessage());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", checked);
    body.put("upstreams", ups);
    JsonNode route = daemon.send("POST", "/api/routes", body);
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      output.printJson(out, route);
      return ExitCodes.OK;
    }
    JsonNode router = daemon.get("/api/router");
    out.println("route " + checked + " → " + String.join(", ", ups));
    if (router != null && router.path("running").asBoolean()) {
      out.println("  http://" + checked + port(router.get("httpPort").asInt(), 80) + "/");
      out.println("  https://" + checked + port(router.get("httpsPort").asInt(), 443) + "/");
    }
    out.flush();
    return ExitCodes.OK;
  }

  private static String port(int port, int standard) {
    return port == standard ? "" : ":" + port;
  }
}
