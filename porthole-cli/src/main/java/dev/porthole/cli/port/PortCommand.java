package dev.porthole.cli.port;

import dev.porthole.cli.CliException;
import dev.porthole.cli.ExitCodes;
import dev.porthole.cli.OutputOptions;
import dev.porthole.cli.inventory.Inventory;
import dev.porthole.cli.output.Table;
import dev.porthole.cli.watch.WatchData;
import dev.porthole.ports.EphemeralRange;
import dev.porthole.ports.FreePorts;
import dev.porthole.ports.PortRange;
import dev.porthole.ports.StablePorts;
import dev.porthole.store.DataDir;
import dev.porthole.store.Store;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Prints the stable port of a project name, or runs a command with {@code PORT} set to it. */
@Command(
    name = "port",
    mixinStandardHelpOptions = true,
    description = {
      "Print the same port every time for NAME: chosen once from --range (outside the ephemeral"
          + " range), free on IPv4 and IPv6 when chosen, never given to another name. With a"
          + " command after --, run it with PORT set (and exit with its code).",
      "When the port is busy at the time of asking, says who holds it and exits 1: it never"
          + " hands out another port.",
    },
    footer = {
      "",
      "Examples:",
      "  porthole port myapp-api                 prints e.g. 41873, the same every time",
      "  PORT=$(porthole port myapp) npm run dev",
      "  porthole port myapp -- npm run dev      the same, PORT set for you",
      "  porthole port --list",
      "  porthole port --release myapp           forget it (the port may go to another name)",
      "",
      "The range: --range A-B, else $PORTHOLE_PORT_RANGE, else 40000-48999."
    })
public final class PortCommand implements Callable<Integer> {
  static final String RANGE_ENV = "PORTHOLE_PORT_RANGE";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin OutputOptions output;

  @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "A project name.")
  String name;

  @Parameters(
      index = "1..*",
      paramLabel = "COMMAND",
      description = "After --: the command to run with PORT set.")
  List<String> command;

  @Option(names = "--list", description = "List every name and its port.")
  boolean list;

  @Option(names = "--release", description = "Forget NAME's port.")
  boolean release;

  @Option(
      names = "--range",
      paramLabel = "A-B",
      description = "Where new ports come from (default: $PORTHOLE_PORT_RANGE or 40000-48999).")
  String rangeText;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the SQLite file lives.")
  Path dataDir;

  /** Returns the JSON of {@code port NAME --json}; holder is null unless the port is busy. */
  record Answer(String name, int port, String created, boolean assignedNow, String holder) {}

  @Override
  public Integer call() {
    PortRange range = range();
    if (list) {
      if (name != null || release) {
        throw CliException.usage("--list takes no NAME and no --release");
      }
      return printList();
    }
    if (name == null) {
      throw CliException.usage("NAME is missing (or use --list)");
    }
    StablePorts.checkName(name);
    try (Store store = WatchData.openForWriting(DataDir.resolve(dataDir))) {
      StablePorts ports = new StablePorts(store, FreePorts.loopback(), range);
      if (release) {
        return release(ports);
      }
      StablePorts.Assignment a;
      try {
        a = ports.assign(name);
      } catch (IllegalStateException e) {
        throw CliException.failure(e.getMessage());
      }
      return answer(a, range);
    }
  }

  private int answer(StablePorts.Assignment a, PortRange range) {
    PrintWriter out = spec.commandLine().getOut();
    // Busy means a listener holds it (a TIME_WAIT or an outgoing connection's end does not stop a
    // server that sets SO_REUSEADDR); whoever holds it is named, and no other port is handed out.
    String holder = a.assignedNow() ? null : Inventory.listenersOn(a.port());
    if (output.json()) {
      output.printJson(out, new Answer(a.name(), a.port(), a.created(), a.assignedNow(), holder));
    }
    if (holder != null) {
      throw new CliException(ExitCodes.NO, a.name() + ": port " + a.port() + " is busy: " + holder);
    }
    if (command != null && !command.isEmpty()) {
      return new PortRunner(command, a.port()).run(spec.commandLine().getErr());
    }
    if (!output.json()) {
      out.println(a.port());
      out.flush();
    }
    if (a.assignedNow()) {
      noteEphemeral(a.port(), range);
    }
    return ExitCodes.OK;
  }

  /** Warns once, when a port is chosen, that an outgoing connection could take it later. */
  private void noteEphemeral(int port, PortRange range) {
    EphemeralRange ephemeral = EphemeralRange.system();
    PortRange overlap = StablePorts.ephemeralOverlap(range, ephemeral);
    if (!ephemeral.contains(port) || overlap == null) {
      return;
    }
    PrintWriter err = spec.commandLine().getErr();
    err.println(
        "note: "
            + port
            + " is inside the kernel's ephemeral range "
            + ephemeral.first()
            + "-"
            + ephemeral.last()
            + "; keep outgoing connections off porthole's ports: sudo sysctl -w"
            + " net.ipv4.ip_local_reserved_ports="
            + overlap.first()
            + "-"
            + overlap.last()
            + " (or pick another --range)");
    err.flush();
  }

  private int release(StablePorts ports) {
    if (command != null && !command.isEmpty()) {
      throw CliException.usage("--release takes no COMMAND");
    }
    if (!ports.release(name)) {
      throw new CliException(ExitCodes.NO, name + " has no port");
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("released " + name);
    out.flush();
    return ExitCodes.OK;
  }

  private int printList() {
    List<StablePorts.Assignment> all;
    try (Store store = WatchData.openForWriting(DataDir.resolve(dataDir))) {
      all = new StablePorts(store, FreePorts.loopback(), StablePorts.DEFAULT_RANGE).list();
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      output.printJson(out, all);
      return ExitCodes.OK;
    }
    if (all.isEmpty()) {
      out.println("no names have a port yet (porthole port NAME gives one)");
      out.flush();
      return ExitCodes.OK;
    }
    Table table = new Table("PORT", "NAME", "SINCE").alignRight(0);
    all.forEach(a -> table.row(a.port(), a.name(), a.created()));
    table.print(out, output.terminal());
    return ExitCodes.OK;
  }

  private PortRange range() {
    String text = rangeText != null ? rangeText : System.getenv(RANGE_ENV);
    if (text == null || text.isBlank()) {
      return StablePorts.DEFAULT_RANGE;
    }
    try {
      return PortRange.parse(text, rangeText != null ? "--range" : RANGE_ENV);
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
  }
}
