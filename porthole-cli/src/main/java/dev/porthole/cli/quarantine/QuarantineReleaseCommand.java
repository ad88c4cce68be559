package dev.porthole.cli.quarantine;

import dev.porthole.cli.CliException;
import dev.porthole.cli.ExitCodes;
import dev.porthole.cli.firewall.Privilege;
import dev.porthole.cli.watch.WatchData;
import dev.porthole.firewall.FirewallException;
import dev.porthole.quarantine.Quarantine;
import dev.porthole.quarantine.QuarantineStore;
import dev.porthole.quarantine.Quarantiner;
import dev.porthole.store.DataDir;
import dev.porthole.store.Store;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Returns {@code quarantine release ID}: removes the DROP rules and resumes the process. */
@Command(
    name = "release",
    mixinStandardHelpOptions = true,
    description = "Undo quarantine ID: remove its DROP rules and resume the process (SIGCONT).",
    footer = {"", "Examples:", "  sudo porthole quarantine release 3f9c01ab"})
final class QuarantineReleaseCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "ID", description = "The quarantine's id (quarantine --list).")
  String id;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the SQLite file lives.")
  Path dataDir;

  @Override
  public Integer call() {
    if (!id.matches("[0-9a-f]{8}")) {
      throw CliException.usage(
          "ID: '" + id + "' (expected: 8 hex digits, as quarantine --list shows)");
    }
    Privilege.require(spec);
    try (Store store = WatchData.openForWriting(DataDir.resolve(dataDir))) {
      Quarantine q =
          new QuarantineStore(store)
              .find(id)
              .orElseThrow(() -> new CliException(ExitCodes.NO, "no quarantine " + id));
      if (q.releasedMs() != null) {
        throw new CliException(ExitCodes.NO, "quarantine " + id + " was already released");
      }
      String note = new Quarantiner(store).release(q);
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          "released "
              + id
              + ": "
              + note
              + (q.ports().isEmpty() ? "" : "; unblocked " + String.join(", ", q.ports())));
      out.flush();
      return ExitCodes.OK;
    } catch (FirewallException e) {
      throw CliException.failure(e.getMessage());
    }
  }
}
