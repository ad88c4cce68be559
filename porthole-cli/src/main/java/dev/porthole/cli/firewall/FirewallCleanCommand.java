package dev.porthole.cli.firewall;

import dev.porthole.checks.CommandRunner;
import dev.porthole.cli.ExitCodes;
import dev.porthole.cli.OutputOptions;
import dev.porthole.cli.output.Table;
import dev.porthole.cli.watch.WatchData;
import dev.porthole.firewall.FirewallCleaner;
import dev.porthole.firewall.FirewallLedger;
import dev.porthole.store.DataDir;
import dev.porthole.store.Store;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Returns {@code firewall clean}: removes the rules a crash, kill -9 or reboot left behind. */
@Command(
    name = "clean",
    mixinStandardHelpOptions = true,
    description = {
      "Remove porthole's rules that nobody holds any more: their time is up, or the porthole"
          + " process that held them is gone (crash, kill -9, reboot). Rules kept with --keep,"
          + " rules still held, and every rule porthole did not add stay.",
    },
    footer = {
      "",
      "Examples:",
      "  sudo porthole firewall clean",
      "  sudo porthole firewall clean --json"
    })
final class FirewallCleanCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin OutputOptions output;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the SQLite file lives.")
  Path dataDir;

  @Override
  public Integer call() {
    Privilege.require(spec);
    List<FirewallCleaner.Cleaned> cleaned;
    try (Store store = WatchData.openForWriting(DataDir.resolve(dataDir))) {
      cleaned =
          new FirewallCleaner(
                  new FirewallLedger(store), CommandRunner.system(Duration.ofSeconds(15)))
              .clean(System.currentTimeMillis());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      output.printJson(out, cleaned);
    } else if (cleaned.isEmpty()) {
      out.println("nothing left behind");
    } else {
      Table table = new Table("ID", "RULE", "FILTER", "RESULT");
      for (FirewallCleaner.Cleaned c : cleaned) {
        String result =
            c.error() != null
                ? "failed: " + c.error()
                : c.removed() == 0 ? "already gone (reboot?)" : "removed";
        table.row(c.id(), c.rule(), c.filter(), result);
      }
      table.print(out, output.terminal());
    }
    out.flush();
    return cleaned.stream().anyMatch(c -> c.error() != null) ? ExitCodes.FAILURE : ExitCodes.OK;
  }
}
