package dev.porthole.cli.quarantine;

import dev.porthole.cli.CliException;
import dev.porthole.cli.ExitCodes;
import dev.porthole.cli.OutputOptions;
import dev.porthole.cli.Signals;
import dev.porthole.cli.firewall.Privilege;
import dev.porthole.cli.output.Table;
import dev.porthole.cli.watch.WatchData;
import dev.porthole.quarantine.Quarantine;
import dev.porthole.quarantine.QuarantineException;
import dev.porthole.quarantine.QuarantineStore;
import dev.porthole.quarantine.Quarantiner;
import dev.porthole.sockets.LineFilter;
import dev.porthole.sockets.OwnedSocket;
import dev.porthole.sockets.SocketInventory;
import dev.porthole.store.DataDir;
import dev.porthole.store.Store;
import dev.porthole.text.Numbers;
import dev.porthole.watch.ProcessDetails;
import dev.porthole.watch.ProcessDetailsReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Returns {@code porthole quarantine}: freeze a listener's process and cut off its ports. */
@Command(
    name = "quarantine",
    mixinStandardHelpOptions = true,
    subcommands = QuarantineReleaseCommand.class,
    description = {
      "Show the process behind PORT (or --pid) in detail, ask, then freeze it (SIGSTOP: it keeps"
          + " its state and can be studied) and block every port it listens on with tagged DROP"
          + " rules. 'quarantine release ID' undoes both. Refuses PID 1, porthole itself and"
          + " other users' processes unless run as root.",
    },
    footer = {
      "",
      "Examples:",
      "  sudo porthole quarantine 4444            who is that? freeze it and cut it off",
      "  sudo porthole quarantine --pid 4242 --yes",
      "  porthole quarantine --list",
      "  sudo porthole quarantine release 3f9c01ab"
    })
public final class QuarantineCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin OutputOptions output;

  @Parameters(arity = "0..1", paramLabel = "PORT", description = "A port the process listens on.")
  String portText;

  @Option(names = "--pid", paramLabel = "PID", description = "The process, instead of PORT.")
  String pidText;

  @Option(
      names = {"-y", "--yes"},
      description = "Do not ask; needed when not on a terminal.")
  boolean yes;

  @Option(names = "--list", description = "List the quarantines in force.")
  boolean list;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the SQLite file lives.")
  Path dataDir;

  @Override
  public Integer call() {
    if (list) {
      return printList();
    }
    if ((portText == null) == (pidText == null)) {
      throw CliException.usage("give PORT or --pid PID (one of them), or --list");
    }
    int pid = pidText != null ? Numbers.parseInt(pidText, "--pid", 1, Integer.MAX_VALUE) : holder();
    ProcessDetails details = ProcessDetailsReader.system().read(pid);
    if (details == null) {
      throw new CliException(ExitCodes.NO, "no process " + pid);
    }
    String refusal =
        Signals.refusal(pid, details.uid(), ProcessHandle.current().pid(), Signals.myUid());
    if (refusal != null) {
      throw new CliException(ExitCodes.NO, details.label() + ": " + refusal);
    }
    List<String> ports = Quarantiner.listeningPorts(pid);
    PrintWriter out = spec.commandLine().getOut();
    if (!output.json()) {
      QuarantineText.details(out, details, ports);
    }
    Privilege.require(spec);
    if (!confirmed(details)) {
      out.println("nothing done");
      out.flush();
      return ExitCodes.NO;
    }
    try (Store store = WatchData.openForWriting(DataDir.resolve(dataDir))) {
      report(out, new Quarantiner(store).quarantine(details, ports), details);
      return ExitCodes.OK;
    } catch (QuarantineException e) {
      throw CliException.failure(e.getMessage());
    }
  }

  private void report(PrintWriter out, Quarantine q, ProcessDetails details) {
    if (output.json()) {
      output.printJson(out, q);
      return;
    }
    out.println(
        "quarantined "
            + q.id()
            + ": "
            + details.label()
            + " is stopped (state T)"
            + (q.ports().isEmpty() ? "" : "; dropped " + String.join(", ", q.ports())));
    out.println("undo: porthole quarantine release " + q.id());
    out.flush();
  }

  private int holder() {
    int port = Numbers.port(portText, "PORT");
    TreeSet<Integer> pids = new TreeSet<>();
    for (OwnedSocket s :
        SocketInventory.snapshotAnywhere(LineFilter.port(port).and(LineFilter.LISTENERS), e -> true)
            .sockets()) {
      s.owners().forEach(o -> pids.add(o.pid()));
    }
    if (pids.isEmpty()) {
      throw new CliException(ExitCodes.NO, "nothing (that porthole can see) listens on " + port);
    }
    if (pids.size() > 1) {
      throw CliException.usage(
          "several processes listen on " + port + " (PIDs " + pids + "): pick one with --pid");
    }
    return pids.first();
  }

  private boolean confirmed(ProcessDetails d) {
    if (yes) {
      return true;
    }
    if (output.json() || !output.terminal().interactive()) {
      throw CliException.usage("not on a terminal: pass --yes to quarantine " + d.label());
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print("Freeze " + d.label() + " and block its ports? [y/N] ");
    out.flush();
    try {
      String answer =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      return answer != null && answer.strip().toLowerCase(java.util.Locale.ROOT).startsWith("y");
    } catch (IOException e) {
      return false;
    }
  }

  private int printList() {
    List<Quarantine> open;
    try (Store store = WatchData.openForWriting(DataDir.resolve(dataDir))) {
      open = new QuarantineStore(store).open();
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      output.printJson(out, open);
      return ExitCodes.OK;
    }
    if (open.isEmpty()) {
      out.println("no process is in quarantine");
      out.flush();
      return ExitCodes.OK;
    }
    Table table = new Table("ID", "PID", "PROCESS", "PORTS", "SINCE", "EXE").alignRight(1);
    for (Quarantine q : open) {
      table.row(
          q.id(),
          q.pid(),
          q.name(),
          String.join(",", q.ports()),
          Instant.ofEpochMilli(q.createdMs()).toString(),
          q.exe() == null ? "?" : q.exe());
    }
    table.print(out, output.terminal());
    return ExitCodes.OK;
  }
}
