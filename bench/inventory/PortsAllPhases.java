package dev.porthole.cli;

import dev.porthole.attribution.Attributor;
import dev.porthole.cli.inventory.Inventory;
import dev.porthole.cli.inventory.PortsCommand;
import dev.porthole.cli.inventory.SocketRow;
import dev.porthole.cli.output.Table;
import dev.porthole.cli.output.Terminal;
import dev.porthole.sockets.LineFilter;
import dev.porthole.sockets.ProcNetParser;
import dev.porthole.sockets.ProcessScanner;
import dev.porthole.sockets.Protocol;
import dev.porthole.sockets.SocketSnapshot;
import dev.porthole.sockets.SocketTables;
import dev.porthole.sockets.UserNames;
import java.io.File;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where a cold {@code porthole ports --all} spends its CPU, phase by phase (the snapshot: sockets
 * and owners; the rows: services, classes, origins; the table), as the main thread's CPU and the
 * whole process's (every thread's, from {@code /proc/self/task/N/schedstat}), so that a loaded
 * machine inflates it less than wall time. In porthole's package, on the jar's class path, with the
 * launcher's short-command options and the ports AOT cache (a cache refuses other options):
 *
 * <pre>
 *   javac -d /tmp/phases -cp porthole-cli/target/porthole.jar bench/inventory/PortsAllPhases.java
 *   java --enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k \
 *     -XX:CICompilerCount=1 -XX:AOTCache=porthole-cli/target/porthole-jdk25-ports.aot \
 *     -cp porthole-cli/target/porthole.jar:/tmp/phases dev.porthole.cli.PortsAllPhases
 * </pre>
 */
public final class PortsAllPhases {
  private static long lastThread = thread();
  private static long lastProcess = process();

  private PortsAllPhases() {}

  public static void main(String[] args) {
    PortsCommand ports = new PortsCommand();
    ports.output = new OutputOptions();
    ports.all = true;
    SocketSnapshot snapshot = Inventory.snapshot(LineFilter.ALL, ports.socketFilter());
    mark("snapshot (sockets and owners)");
    SocketTables tables = SocketTables.procNet(Path.of("/proc"));
    Set<Long> inodes = new HashSet<>();
    for (int t = 0; t < 4; t++) {
      try {
        ProcNetParser.Result r =
            tables.read(t < 2 ? Protocol.TCP : Protocol.UDP, t % 2 == 1, LineFilter.ALL);
        r.entries().forEach(e -> inodes.add(e.inode()));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    mark("again: read and parse /proc/net");
    new ProcessScanner(Path.of("/proc"), UserNames.system()).findOwners(inodes);
    mark("again: owners (/proc/PID/fd)");
    Attributor attributor = Attributor.system();
    List<SocketRow> rows = Inventory.rows(snapshot, true, attributor);
    mark("attributor and rows");
    // The table as PortsCommand makes it, printed as Porthole.main prints (stdout: /dev/null).
    Table table =
        new Table(
                "PROTO", "ADDRESS", "PORT", "REMOTE", "STATE", "PID", "PROCESS", "USER", "SCOPE",
                "CLASS", "SERVICE", "ORIGIN")
            .alignRight(2, 5);
    for (SocketRow r : rows) {
      table.row(
          r.proto(),
          r.localAddress(),
          r.port(),
          r.remoteAddress() == null ? "-" : SocketRow.hostPort(r.remoteAddress(), r.remotePort()),
          r.state(),
          r.pid() != null ? r.pid().toString() : "?",
          r.process() != null ? r.process() : "?",
          r.user(),
          r.scope(),
          r.portClass(),
          r.service(),
          r.origin() == null ? null : r.origin().summary());
    }
    mark("table rows");
    PrintWriter out = new PrintWriter(System.out, false, StandardCharsets.UTF_8);
    table.print(out, Terminal.plain());
    mark("table printed");
    table.print(new PrintWriter(new java.io.StringWriter()), Terminal.plain());
    mark("again, into a String");
    table.print(out, Terminal.plain());
    mark("again, to stdout");
    System.err.println(rows.size() + " row(s)");
  }

  private static void mark(String what) {
    long t = thread();
    long p = process();
    System.err.printf(
        "%-32s %6.1f ms main thread, %6.1f ms process%n",
        what, (t - lastThread) / 1e6, (p - lastProcess) / 1e6);
    lastThread = t;
    lastProcess = p;
  }

  private static long thread() {
    return schedstat(Path.of("/proc/thread-self/schedstat"));
  }

  private static long process() {
    long sum = 0;
    for (File task : new File("/proc/self/task").listFiles()) {
      sum += schedstat(task.toPath().resolve("schedstat"));
    }
    return sum;
  }

  private static long schedstat(Path file) {
    try {
      String stat = Files.readString(file);
      return Long.parseLong(stat.substring(0, stat.indexOf(' ')));
    } catch (java.io.IOException e) {
      return 0; // a thread that ended while we looked
    }
  }
}
