package dev.porthole.cli.inventory;

import dev.porthole.attribution.ContainerLookup;
import dev.porthole.attribution.NamespaceListener;
import dev.porthole.attribution.NamespaceListeners;
import dev.porthole.attribution.Origin;
import dev.porthole.cli.output.Table;
import dev.porthole.cli.output.Terminal;
import dev.porthole.sockets.IpLiteral;
import dev.porthole.sockets.SocketEntry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/** Returns and prints the listeners of other network namespaces for {@code ports --namespaces}. */
public final class NamespaceRows {
  private NamespaceRows() {}

  /**
   * Returns one listener inside another network namespace, in JSON under these names.
   *
   * @param namespace as {@code /proc/PID/ns/net} names it ("net:[4026532301]")
   * @param pid the process whose view of the namespace was read
   */
  record Row(
      String namespace,
      int pid,
      String process,
      String proto,
      String localAddress,
      int port,
      String state,
      String scope,
      Origin origin) {}

  static List<Row> read(ContainerLookup containers, Predicate<SocketEntry> which) {
    return new NamespaceListeners(Path.of("/proc"), containers)
        .read().stream()
            .filter(l -> which.test(l.socket()))
            .map(NamespaceRows::row)
            .sorted(Comparator.comparing(Row::namespace).thenComparingInt(Row::port))
            .toList();
  }

  private static Row row(NamespaceListener l) {
    SocketEntry s = l.socket();
    return new Row(
        l.namespace(),
        l.pid(),
        l.process(),
        s.protocol().label(),
        IpLiteral.format(s.localAddress()),
        s.localPort(),
        s.state().name(),
        s.scope().label(),
        l.origin());
  }

  static void print(PrintWriter out, List<Row> rows, Terminal terminal) {
    out.println();
    if (rows.isEmpty()) {
      out.println("nothing listens inside other network namespaces");
      out.flush();
      return;
    }
    out.println("Inside other network namespaces (not reachable from this one unless published):");
    Table t =
        new Table("PROTO", "ADDRESS", "PORT", "STATE", "PID", "PROCESS", "NAMESPACE", "ORIGIN")
            .alignRight(2, 4);
    for (Row r : rows) {
      t.row(
          r.proto(),
          r.localAddress(),
          r.port(),
          r.state(),
          r.pid(),
          r.process(),
          r.namespace(),
          r.origin().summary());
    }
    t.print(out, terminal);
  }
}
