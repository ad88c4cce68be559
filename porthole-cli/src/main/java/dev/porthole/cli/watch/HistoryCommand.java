package dev.porthole.cli.watch;

import dev.porthole.cli.CliException;
import dev.porthole.cli.Converters;
import dev.porthole.cli.ExitCodes;
import dev.porthole.cli.OutputOptions;
import dev.porthole.cli.output.Table;
import dev.porthole.store.DataDir;
import dev.porthole.store.Store;
import dev.porthole.watch.WatchStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Shows who held a port, and when, from the watch's listener history. */
@Command(
    mixinStandardHelpOptions = true,
    name = "history",
    description = "Show who held a port and when (from the watch's listener history).",
    footer = {
      "",
      "Exit code 1 when the port was never seen listening.",
      "",
      "Examples:",
      "  porthole history 8080",
      "  porthole history 5432 --json"
    })
public final class HistoryCommand implements Callable<Integer> {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin OutputOptions output;

  @Parameters(
      paramLabel = "PORT",
      converter = Converters.Port.class,
      description = "The port (1-65535).")
  int port;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the SQLite file lives.")
  Path dataDir;

  @Override
  public Integer call() {
    if (port < 1 || port > 65535) {
      throw CliException.usage("PORT: " + port + " (expected: 1-65535)");
    }
    List<WatchStore.HistoryEntry> rows;
    try (Store store = WatchData.openForReading(DataDir.resolve(dataDir))) {
      rows = new WatchStore(store).history(port);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      output.printJson(out, rows);
      return rows.isEmpty() ? ExitCodes.NO : ExitCodes.OK;
    }
    if (rows.isEmpty()) {
      throw new CliException(ExitCodes.NO, "port " + port + " was never seen listening");
    }
    Table table =
        new Table("PROTO", "ADDRESS", "SCOPE", "PID", "PROCESS", "USER", "FROM", "UNTIL", "ORIGIN")
            .alignRight(3);
    for (WatchStore.HistoryEntry h : rows) {
      table.row(
          h.protocol(),
          h.address(),
          h.scope(),
          h.owner() == null ? "?" : h.owner().pid(),
          h.owner() == null ? "?" : h.owner().name(),
          h.owner() == null ? "?" : h.owner().user(),
          TIME.format(Instant.parse(h.opened())),
          h.closed() == null ? "listening" : TIME.format(Instant.parse(h.closed())),
          h.origin() == null ? "" : h.origin().summary());
    }
    table.print(out, output.terminal());
    return ExitCodes.OK;
  }
}
