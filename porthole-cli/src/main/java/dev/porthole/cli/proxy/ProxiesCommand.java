package dev.porthole.cli.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.porthole.cli.DaemonClient;
import dev.porthole.cli.ExitCodes;
import dev.porthole.cli.OutputOptions;
import dev.porthole.cli.output.Table;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Lists the running daemon's proxies with their toxics, connections and bytes. */
@Command(
    mixinStandardHelpOptions = true,
    name = "proxies",
    description = "List the daemon's proxies: listen, upstream, toxics, connections, bytes.",
    footer = {
      "",
      "Examples:",
      "  porthole proxies",
      "  porthole proxies --json",
      "  PORTHOLE_URL=http://127.0.0.1:8474 porthole proxies"
    })
public final class ProxiesCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin OutputOptions output;
  @Mixin DaemonClient daemon;

  @Override
  public Integer call() {
    JsonNode proxies = daemon.get("/api/proxies");
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      output.printJson(out, proxies);
      return ExitCodes.OK;
    }
    if (proxies.isEmpty()) {
      out.println("no proxies");
      out.flush();
      return ExitCodes.OK;
    }
    Table table =
        new Table(
                "NAME",
                "PROTO",
                "LISTEN",
                "UPSTREAM",
                "ENABLED",
                "TOXICS",
                "CONNS",
                "BYTES UP/DOWN")
            .alignRight(6);
    for (JsonNode p : proxies) {
      JsonNode stats = p.get("stats");
      table.row(
          p.get("name").asText(),
          p.get("protocol").asText(),
          p.get("listen").asText(),
          p.get("upstream").asText(),
          p.get("enabled").asBoolean() ? "yes" : "no",
          toxics(p.get("toxics")),
          stats.get("connectionsOpen").asLong(),
          bytes(stats.get("bytesUpstream").asLong())
              + " / "
              + bytes(stats.get("bytesDownstream").asLong()));
    }
    table.print(out, output.terminal());
    return ExitCodes.OK;
  }

  private static String toxics(JsonNode toxics) {
    if (toxics.isEmpty()) {
      return "-";
    }
    StringBuilder sb = new StringBuilder();
    for (JsonNode t : toxics) {
      sb.append(sb.isEmpty() ? "" : ",").append(t.get("name").asText());
    }
    return sb.toString();
  }

  /** Returns a byte count in binary units: 999 B, 1.2 KiB, 3.4 MiB. */
  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
