package dev.porthole.cli.firewall;

import dev.porthole.checks.CommandRunner;
import dev.porthole.cli.CliException;
import dev.porthole.cli.ExitCodes;
import dev.porthole.cli.watch.WatchData;
import dev.porthole.firewall.FirewallException;
import dev.porthole.firewall.FirewallLedger;
import dev.porthole.firewall.PacketFilters;
import dev.porthole.store.DataDir;
import dev.porthole.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Returns {@code firewall remove ID}: takes one of porthole's rules out now. */
@Command(
    name = "remove",
    mixinStandardHelpOptions = true,
    description = "Remove porthole's rule ID (as 'firewall list' shows it) from the filter now.",
    footer = {"", "Examples:", "  sudo porthole firewall remove 3f9c01ab"})
final class FirewallRemoveCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "ID", description = "The rule's id (8 hex digits).")
  String id;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where the SQLite file (and the daemon's token) live.")
  Path dataDir;

  @Option(
      names = "--url",
      paramLabel = "URL",
      description =
          "The daemon to ask first (default: $PORTHOLE_URL or http://127.0.0.1:62893); a rule it"
              + " does not have is looked up in this machine's store.")
  String url;

  @Override
  public Integer call() {
    String key = id.startsWith("porthole:") ? id.substring(9) : id;
    if (!key.matches("[0-9a-f]{8}")) {
      throw CliException.usage("ID: '" + id + "' (expected: 8 hex digits, as firewall list shows)");
    }
    if (removedByDaemon(key)) {
      return ExitCodes.OK;
    }
    Privilege.require(spec);
    try (Store store = WatchData.openForWriting(DataDir.resolve(dataDir))) {
      FirewallLedger ledger = new FirewallLedger(store);
      FirewallLedger.Entry e =
          ledger
              .find(key)
              .orElseThrow(() -> new CliException(ExitCodes.NO, "no rule porthole:" + key));
      if (e.removedMs() != null) {
        throw new CliException(ExitCodes.NO, "porthole:" + key + " was already removed");
      }
      int n =
          PacketFilters.named(e.filter(), CommandRunner.system(Duration.ofSeconds(15))).remove(key);
      ledger.markRemoved(key);
      spec.commandLine()
          .getOut()
          .println(
              "removed porthole:"
                  + key
                  + " ("
                  + e.rule().describe()
                  + ")"
                  + (n == 0 ? "; it was no longer in the filter" : ""));
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    } catch (FirewallException ex) {
      throw CliException.failure(ex.getMessage());
    }
  }

  /** Returns true when a running daemon had the rule in force and removed it. */
  private boolean removedByDaemon(String key) {
    Optional<DaemonRules> daemon = DaemonRules.find(url, dataDir);
    if (daemon.isEmpty()) {
      return false;
    }
    String removed;
    try {
      removed = daemon.get().remove(key);
    } catch (CliException e) {
      if (e.exitCode() == ExitCodes.NO || e.getMessage().contains("CAP_NET_ADMIN")) {
        return false;
      }
      throw e;
    }
    spec.commandLine()
        .getOut()
        .println(
            "removed porthole:"
                + key
                + " ("
                + removed
                + ") through the daemon at "
                + daemon.get().url());
    spec.commandLine().getOut().flush();
    return true;
  }
}
