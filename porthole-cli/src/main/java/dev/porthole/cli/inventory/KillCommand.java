package dev.porthole.cli.inventory;

import dev.porthole.attribution.DockerEngine;
import dev.porthole.cli.CliException;
import dev.porthole.cli.ExitCodes;
import dev.porthole.cli.OutputOptions;
import dev.porthole.cli.Signals;
import dev.porthole.cli.containers.ContainerStop;
import dev.porthole.sockets.LineFilter;
import dev.porthole.sockets.ProcessScanner;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Ends the processes that listen on a port, after showing them and (on a terminal) asking. */
@Command(
    name = "kill",
    mixinStandardHelpOptions = true,
    description = {
      "Show who listens on PORT, ask (on a terminal), send SIGTERM and, if the process is still"
          + " there after --grace, SIGKILL. Refuses PID 1, porthole itself, and other users'"
          + " processes unless run as root.",
    },
    footer = {
      "",
      "Examples:",
      "  porthole kill 3000                   asks, then SIGTERM, SIGKILL after 5 s",
      "  porthole kill 3000 --yes --grace 1s  for scripts",
      "  porthole kill 8080 --signal HUP --yes  ask the server to reload",
      "  porthole kill 5432 --yes             a container's port: stops the container",
      "  porthole kill 5432 --process --yes   kills docker-proxy instead"
    })
public final class KillCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin OutputOptions output;

  @Parameters(index = "0", paramLabel = "PORT", description = "The port number (1-65535).")
  String portText;

  @Option(
      names = {"-y", "--yes"},
      description = "Do not ask; needed when not on a terminal.")
  boolean yes;

  @Option(
      names = {"-s", "--signal"},
      paramLabel = "SIGNAL",
      defaultValue = "TERM",
      description =
          "Signal to send first: TERM (default), INT, HUP, QUIT, KILL, USR1, USR2 or a number.")
  String signalText;

  @Option(
      names = "--grace",
      paramLabel = "DURATION",
      defaultValue = "5s",
      description =
          "How long to wait before SIGKILL, at most 1h; a bare number is seconds (default"
              + " ${DEFAULT-VALUE}; 0 never escalates).")
  String graceText;

  @Option(
      names = "--pid",
      paramLabel = "PID",
      description =
          "Only this holder: nothing is sent unless PID listens on PORT (safe in scripts, where"
              + " the holder can change between looking and killing).")
  Integer onlyPid;

  @Option(
      names = "--process",
      description =
          "Signal the holding process even when it publishes a container's port (docker-proxy,"
              + " rootlessport); without it, kill stops the container through its engine"
              + " (Docker, or rootless Podman).")
  boolean processOnly;

  /** Returns the JSON document of {@code kill --json}: the port, the signal and each process. */
  record Report(int port, String signal, List<Signals.Outcome> processes) {}

  @Override
  public Integer call() {
    int port = Inventory.port(portText);
    Signals.Signal signal = Signals.Signal.parse(signalText);
    Duration grace = Signals.grace(graceText);
    if (onlyPid != null && onlyPid < 1) {
      throw CliException.usage("--pid: " + onlyPid + " (expected: a process id, 1 or more)");
    }
    List<SocketRow> rows =
        Inventory.rows(
            Inventory.snapshot(LineFilter.port(port).and(LineFilter.LISTENERS), s -> true), false);
    if (rows.isEmpty()) {
      throw new CliException(ExitCodes.NO, "nothing listens on " + port);
    }
    List<dev.porthole.attribution.Origin> containers =
        ContainerStop.containers(rows.stream().map(SocketRow::origin).toList());
    if (!processOnly && onlyPid == null && !containers.isEmpty()) {
      PrintWriter out = spec.commandLine().getOut();
      if (!output.json()) {
        out.println(port + ": " + Inventory.holders(rows));
      }
      return new ContainerStop(output, out, DockerEngine.local())
          .stop(port, containers, yes, grace);
    }
    Map<Integer, SocketRow.Owner> owners = new LinkedHashMap<>();
    rows.forEach(r -> r.owners().forEach(o -> owners.putIfAbsent(o.pid(), o)));
    if (onlyPid != null) {
      owners.keySet().retainAll(java.util.Set.of(onlyPid));
      rows =
          rows.stream().filter(r -> r.owners().stream().anyMatch(o -> o.pid() == onlyPid)).toList();
      if (owners.isEmpty()) {
        throw new CliException(ExitCodes.NO, "PID " + onlyPid + " does not listen on " + port);
      }
    }
    if (owners.isEmpty()) {
      throw CliException.failure(
          "cannot see which process holds "
              + port
              + ": "
              + (ProcessScanner.root()
                  ? "it hides its fds even from root"
                  : "it belongs to another user (run as root)"));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (!output.json()) {
      out.println(port + ": " + Inventory.holders(rows));
      out.flush();
    }
    List<Signals.Outcome> outcomes = new ArrayList<>();
    List<SocketRow.Owner> targets = new ArrayList<>();
    for (SocketRow.Owner o : owners.values()) {
      String refusal =
          Signals.refusal(o.pid(), o.uid(), ProcessHandle.current().pid(), Signals.myUid());
      if (refusal != null) {
        outcomes.add(
            new Signals.Outcome(
                o.pid(), o.name(), o.user(), o.commandLine(), "refused", refusal, List.of(), 0));
      } else {
        targets.add(o);
      }
    }
    if (!targets.isEmpty() && !confirmed(signal, targets)) {
      out.println("nothing sent");
      out.flush();
      return ExitCodes.NO;
    }
    outcomes.addAll(Signals.end(targets, signal, grace));
    print(out, port, signal, outcomes);
    boolean allDone =
        outcomes.stream()
            .allMatch(
                o ->
                    o.outcome().equals("exited")
                        || o.outcome().equals("killed")
                        || o.outcome().equals("signalled"));
    return allDone ? ExitCodes.OK : ExitCodes.FAILURE;
  }

  private boolean confirmed(Signals.Signal signal, List<SocketRow.Owner> targets) {
    if (yes) {
      return true;
    }
    if (output.json() || !output.terminal().interactive()) {
      throw CliException.usage(
          "not on a terminal: pass --yes to send SIG" + signal.name() + " without asking");
    }
    PrintWriter out = spec.commandLine().getOut();
    List<String> who = targets.stream().map(t -> t.name() + " (PID " + t.pid() + ")").toList();
    out.print("Send SIG" + signal.name() + " to " + String.join(", ", who) + "? [y/N] ");
    out.flush();
    try {
      String answer =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      return answer != null
          && (answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes"));
    } catch (IOException e) {
      return false;
    }
  }

  private void print(
      PrintWriter out, int port, Signals.Signal signal, List<Signals.Outcome> outcomes) {
    if (output.json()) {
      output.printJson(out, new Report(port, signal.name(), outcomes));
      return;
    }
    for (Signals.Outcome o : outcomes) {
      out.println("PID " + o.pid() + " " + o.name() + ": " + o.detail());
    }
    out.flush();
  }
}
