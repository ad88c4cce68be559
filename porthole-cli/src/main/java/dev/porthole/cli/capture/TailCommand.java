package dev.porthole.cli.capture;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.porthole.capture.CaptureFeed;
import dev.porthole.cli.CliException;
import dev.porthole.cli.DaemonClient;
import dev.porthole.cli.ExitCodes;
import dev.porthole.cli.OutputOptions;
import dev.porthole.cli.output.Terminal;
import dev.porthole.text.Durations;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Follows the daemon's traffic records live, one line per request or connection. */
@Command(
    name = "tail",
    mixinStandardHelpOptions = true,
    description =
        "Follow the daemon's proxied traffic live: one line per HTTP request or connection.",
    footer = {
      "",
      "Lines: time, proxy, client, request (or [kind connection #id]), status (or how it",
      "ended), response size (or bytes both ways), duration. HTTP connections are shown by",
      "their requests; other connections by one line when they close.",
      "",
      "Examples:",
      "  porthole tail                  # every proxy, until Ctrl-C",
      "  porthole tail web api --http   # only HTTP requests of two proxies",
      "  porthole tail --json | jq 'select(.status >= 500)'",
      "  porthole tail --recent         # the records the daemon holds, then exit",
      "  porthole tail --recent -f      # those, then follow",
      "  porthole tail --recent --count 20"
    })
public final class TailCommand implements Callable<Integer> {
  private static final int PAGE = 1000;
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin OutputOptions output;
  @Mixin DaemonClient daemon;

  @Parameters(paramLabel = "PROXY", arity = "0..*", description = "Only these proxies.")
  List<String> proxies = new ArrayList<>();

  @Option(names = "--http", description = "Only HTTP requests (no connection lines).")
  boolean http;

  @Option(
      names = "--recent",
      description = "Print the recent records the daemon holds and exit (--follow: then follow).")
  boolean recent;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep following after --recent's records (without --recent: always).")
  boolean follow;

  @Option(
      names = "--count",
      paramLabel = "N",
      description = "Stop after N lines (default: follow until Ctrl-C).")
  Integer count;

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      description = "How often to ask the daemon (default ${DEFAULT-VALUE}).")
  String interval = "250ms";

  @Override
  public Integer call() throws Exception {
    Duration every = Durations.parsePositive(interval, "--interval");
    if (count != null && count < 1) {
      throw CliException.usage("--count: " + count + " (expected: >= 1)");
    }
    for (String p : proxies) {
      daemon.get("/api/proxies/" + URLEncoder.encode(p, StandardCharsets.UTF_8));
    }
    String filter =
        proxies.isEmpty()
            ? ""
            : "&proxy=" + URLEncoder.encode(String.join(",", proxies), StandardCharsets.UTF_8);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Terminal terminal = output.terminal();
    long newest = daemon.get("/api/capture/events?limit=1").path("last").asLong();
    long after = recent ? 0 : newest;
    // --recent alone ends at the newest event there was when it started, so it exits even while
    // traffic goes on.
    long end = recent && !follow ? newest : Long.MAX_VALUE;
    int printed = 0;
    while ((count == null || printed < count) && after < end) {
      JsonNode page = daemon.get("/api/capture/events?limit=" + PAGE + "&after=" + after + filter);
      if (page.path("missed").asLong() > 0) {
        err.println(
            "porthole tail: "
                + page.path("missed").asLong()
                + " records missed (the daemon keeps the last 10000)");
        err.flush();
      }
      for (JsonNode node : page.path("events")) {
        CaptureFeed.Event e = JSON.treeToValue(node, CaptureFeed.Event.class);
        if (e.seq() > end) {
          return ExitCodes.OK;
        }
        if (!shown(e)) {
          continue;
        }
        if (output.json()) {
          // One compact object per line (JSON lines), so a follower can read line by line.
          out.println(JSON.writeValueAsString(e));
          out.flush();
        } else {
          out.println(TrafficLine.format(e, terminal));
          out.flush();
        }
        if (count != null && ++printed >= count) {
          return ExitCodes.OK;
        }
      }
      long next = page.path("next").asLong(after);
      if (next >= end || (next == after && end != Long.MAX_VALUE)) {
        return ExitCodes.OK; // --recent: caught up (or the ring moved on past the end)
      }
      if (next - after < PAGE) {
        Thread.sleep(every.toMillis()); // after a full page more are waiting: ask again at once
      }
      after = next;
    }
    return ExitCodes.OK;
  }

  private boolean shown(CaptureFeed.Event e) {
    if ("request".equals(e.type()) || "frame".equals(e.type())) {
      return true; // a WebSocket frame is a message of the HTTP upgrade: shown with --http too
    }
    return !http && !e.http();
  }
}
