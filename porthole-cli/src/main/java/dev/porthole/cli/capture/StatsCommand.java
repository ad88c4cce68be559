package dev.porthole.cli.capture;

import com.fasterxml.jackson.databind.JsonNode;
import dev.porthole.cli.DaemonClient;
import dev.porthole.cli.ExitCodes;
import dev.porthole.cli.OutputOptions;
import dev.porthole.cli.output.Table;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Prints a proxy's traffic statistics: per proxy and per request line. */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = "Show a proxy's HTTP traffic: requests/s, errors, latency percentiles, bytes/s.",
    footer = {
      "",
      "Rates are means over the last minute; counts and percentiles since the daemon started.",
      "Errors are 5xx answers and requests left unanswered. Latency runs from a request's first",
      "byte to its response's last (HdrHistogram, 2 significant digits).",
      "",
      "Examples:",
      "  porthole stats web",
      "  porthole stats web --json | jq '.routes[] | select(.p99Millis > 100)'"
    })
public final class StatsCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin OutputOptions output;
  @Mixin DaemonClient daemon;

  @Parameters(index = "0", paramLabel = "PROXY", description = "The proxy.")
  String proxy;

  @Override
  public Integer call() {
    JsonNode s =
        daemon.get("/api/proxies/" + URLEncoder.encode(proxy, StandardCharsets.UTF_8) + "/stats");
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      output.printJson(out, s);
      return ExitCodes.OK;
    }
    out.println(proxy + ": " + s.path("connections").asLong() + " connections recorded");
    Table table =
        new Table("REQUEST", "COUNT", "REQ/S", "ERRORS", "P50", "P90", "P99", "MAX", "BYTES/S")
            .alignRight(1, 2, 3, 4, 5, 6, 7, 8);
    row(table, s.path("total"), "(all)");
    for (JsonNode r : s.path("routes")) {
      row(table, r, r.path("key").asText());
    }
    table.print(out, output.terminal());
    return ExitCodes.OK;
  }

  private static void row(Table table, JsonNode l, String key) {
    table.row(
        key,
        l.path("requests").asLong(),
        String.format(Locale.ROOT, "%.1f", l.path("requestsPerSecond").asDouble()),
        String.format(Locale.ROOT, "%.1f%%", 100 * l.path("errorRate").asDouble()),
        ms(l.path("p50Millis").asDouble()),
        ms(l.path("p90Millis").asDouble()),
        ms(l.path("p99Millis").asDouble()),
        ms(l.path("maxMillis").asDouble()),
        TrafficLine.size((long) l.path("bytesPerSecond").asDouble()));
  }

  private static String ms(double v) {
    return String.format(Locale.ROOT, "%.1f ms", v);
  }
}
