package dev.porthole.cli.inventory;

import dev.porthole.attribution.ContainerLookup;
import dev.porthole.attribution.NatTable;
import dev.porthole.attribution.PublishedPort;
import dev.porthole.attribution.PublishedPorts;
import dev.porthole.cli.output.Table;
import dev.porthole.cli.output.Terminal;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.function.IntPredicate;

/** Returns and prints the ports container engines published, for {@code ports --all-published}. */
public final class PublishedRows {
  private PublishedRows() {}

  /**
   * Returns the published ports {@code wanted} accepts: the engine's list joined with {@code rows}
   * (this namespace's listeners) and the nat table; the table's problem, if any, goes to {@code
   * notes}.
   */
  static List<PublishedPort> read(
      ContainerLookup containers,
      List<SocketRow> rows,
      NatTable nat,
      IntPredicate wanted,
      List<String> notes) {
    List<PublishedPorts.HostListener> listeners =
        rows.stream()
            .filter(r -> r.pid() != null && r.process() != null && listening(r.state()))
            .map(r -> new PublishedPorts.HostListener(r.proto(), r.port(), r.pid(), r.process()))
            .toList();
    List<PublishedPort> all =
        PublishedPorts.join(containers.containers(), listeners, nat.read()).stream()
            .filter(p -> wanted.test(p.port()))
            .toList();
    if (nat.problem() != null && all.stream().anyMatch(p -> p.via().equals("dnat"))) {
      notes.add(nat.problem() + "; DNAT rules come from the engine's list only");
    }
    return all;
  }

  // A DNAT port has no socket, or one that only reserves it (dockerd's, which never accepts).
  private static String dnat(PublishedPort p) {
    return p.pid() == null ? "DNAT (no socket)" : "DNAT (" + p.process() + " reserves)";
  }

  private static boolean listening(String state) {
    String s = state.toLowerCase(Locale.ROOT);
    return s.equals("listen") || s.equals("unconn");
  }

  static void print(PrintWriter out, List<PublishedPort> rows, Terminal terminal) {
    out.println();
    if (rows.isEmpty()) {
      out.println("no container engine publishes a port here");
      out.flush();
      return;
    }
    out.println("Published by container engines and DNAT rules:");
    Table t =
        new Table("PROTO", "ADDRESS", "PORT", "VIA", "PID", "CONTAINER", "TARGET").alignRight(2, 4);
    for (PublishedPort p : rows) {
      t.row(
          p.protocol(),
          p.address(),
          p.port(),
          p.via().equals("dnat") ? terminal.yellow(dnat(p)) : p.via(),
          p.pid() == null ? "-" : p.pid().toString(),
          p.origin() == null ? "-" : p.origin().summary(),
          p.target());
    }
    t.print(out, terminal);
  }
}
