package dev.porthole.cli.watch;

import dev.porthole.cli.CliException;
import dev.porthole.cli.Converters;
import dev.porthole.cli.ExitCodes;
import dev.porthole.cli.OutputOptions;
import dev.porthole.cli.output.Table;
import dev.porthole.store.DataDir;
import dev.porthole.store.Store;
import dev.porthole.text.Durations;
import dev.porthole.watch.EventType;
import dev.porthole.watch.WatchEvent;
import dev.porthole.watch.WatchStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Lists the recorded watch events. */
@Command(
    mixinStandardHelpOptions = true,
    name = "events",
    description = "List the recorded watch events, oldest first (from the data directory's store).",
    footer = {
      "",
      "Types: opened, closed, owner-changed, exposed, violation, down, up, policy-rejected.",
      "",
      "Examples:",
      "  porthole events                         # the last 24 hours",
      "  porthole events --since 1h --type violation,exposed",
      "  porthole events --port 8080 --json"
    })
public final class EventsCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin OutputOptions output;

  @Option(
      names = "--since",
      paramLabel = "DURATION",
      description = "Only events newer than this (default 24h; e.g. 15m, 1h, 7d).")
  String since = "24h";

  @Option(
      names = "--type",
      paramLabel = "TYPE",
      split = ",",
      description = "Only these types (comma-separated or repeated).")
  List<String> types;

  @Option(
      names = "--port",
      converter = Converters.Port.class,
      description = "Only events about this port.")
  Integer port;

  @Option(
      names = "--limit",
      description = "At most this many, the newest (default ${DEFAULT-VALUE}).")
  int limit = 1000;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the SQLite file lives.")
  Path dataDir;

  @Override
  public Integer call() {
    Instant from;
    Set<String> wanted = new LinkedHashSet<>();
    try {
      from = Instant.now().minus(Durations.parse(since, "--since"));
      for (String t : types == null ? List.<String>of() : types) {
        wanted.add(EventType.fromLabel(t).label());
      }
    } catch (IllegalArgumentException e) {
      throw CliException.usage(
          e.getMessage().replace("unknown event type", "--type: unknown type"));
    }
    if (limit < 1) {
      throw CliException.usage("--limit: " + limit + " (expected: >= 1)");
    }
    List<WatchEvent> events;
    try (Store store = WatchData.openForReading(DataDir.resolve(dataDir))) {
      events = new WatchStore(store).events(new WatchStore.EventQuery(from, wanted, port, limit));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      output.printJson(out, events);
      return ExitCodes.OK;
    }
    if (events.isEmpty()) {
      out.println("no events in the last " + since);
      out.flush();
      return ExitCodes.OK;
    }
    // ORIGIN before MESSAGE: the message is long and free text, so it stays last.
    Table table = new Table("TIME", "TYPE", "PORT", "PROCESS", "ORIGIN", "MESSAGE").alignRight(2);
    for (WatchEvent e : events) {
      table.row(
          EventText.time(e),
          e.type(),
          e.port() == 0 ? null : e.port(),
          e.process() == null ? null : e.process().label(),
          e.origin() == null ? null : e.origin().summary(),
          e.message());
    }
    table.print(out, output.terminal());
    return ExitCodes.OK;
  }
}
