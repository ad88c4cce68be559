package dev.porthole.cli.inventory;

import dev.porthole.attribution.Attributor;
import dev.porthole.cli.CliException;
import dev.porthole.cli.ExitCodes;
import dev.porthole.cli.OutputOptions;
import dev.porthole.cli.output.Table;
import dev.porthole.cli.output.Terminal;
import dev.porthole.ports.PortRange;
import dev.porthole.sockets.BindScope;
import dev.porthole.sockets.LineFilter;
import dev.porthole.sockets.SocketEntry;
import dev.porthole.sockets.SocketSnapshot;
import dev.porthole.sockets.SocketState;
import java.io.PrintWriter;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Lists the TCP and UDP sockets of this machine with their owners: listeners unless --all. */
@Command(
    name = "ports",
    mixinStandardHelpOptions = true,
    description =
        "List listening TCP and UDP sockets with their process, scope, class and service.",
    footer = {
      "",
      "Examples:",
      "  porthole ports                      what listens, and who owns it",
      "  porthole ports --all                connections too",
      "  porthole ports --port 3000-3999 --tcp",
      "  porthole ports --scope all          what the whole network can reach",
      "  porthole ports --process java -6    Java listeners on IPv6",
      "  porthole ports --namespaces         and inside containers' own network namespaces",
      "  porthole ports --all-published      and every port an engine published (DNAT too)",
      "  porthole ports --json | jq '.sockets[].port'"
    })
public final class PortsCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin OutputOptions output;

  @Option(
      names = {"-a", "--all"},
      description = "Show connections too, not only listeners.")
  boolean all;

  @Option(
      names = {"-p", "--port"},
      paramLabel = "PORT|A-B",
      split = ",",
      description = "Only these ports or ranges (repeat or comma-separate).")
  List<String> ports = new ArrayList<>();

  @Option(
      names = "--process",
      paramLabel = "NAME|PID",
      description =
          "Only sockets of this PID, or of processes whose name or command line contains NAME.")
  String process;

  @Option(
      names = "--state",
      paramLabel = "STATE",
      split = ",",
      description =
          "Only these states (listen, unconn, established, time_wait, ...); implies --all.")
  List<String> states = new ArrayList<>();

  @Option(
      names = "--scope",
      paramLabel = "SCOPE",
      description = "Only this bind scope: loopback, all (every interface) or specific.")
  String scope;

  @Option(names = "--tcp", description = "Only TCP.")
  boolean tcp;

  @Option(names = "--udp", description = "Only UDP.")
  boolean udp;

  @Option(names = "-4", description = "Only IPv4 addresses (IPv4-mapped IPv6 included).")
  boolean ipv4;

  @Option(names = "-6", description = "Only IPv6 addresses.")
  boolean ipv6;

  @Option(
      names = "--namespaces",
      description =
          "Also list listeners inside other network namespaces (containers', unshare'd"
              + " processes'), which no host address reaches.")
  boolean namespaces;

  @Option(
      names = "--all-published",
      description =
          "Also list every port a container engine published, with its container, including"
              + " ports published by a DNAT rule with no listening socket (userland-proxy=false).")
  boolean allPublished;

  @Option(
      names = "--no-origins",
      description =
          "Do not name what really owns each listener (container, VM, tunnel, dev server): the"
              + " processes only, without asking a container engine.")
  boolean noOrigins;

  /**
   * Returns the JSON document of {@code ports --json}.
   *
   * @param namespaces listeners inside other network namespaces; present only with --namespaces
   * @param published ports container engines published; present only with --all-published
   */
  record Report(
      List<SocketRow> sockets,
      List<String> notes,
      int skippedLines,
      @com.fasterxml.jackson.annotation.JsonInclude(
              com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
          List<NamespaceRows.Row> namespaces,
      @com.fasterxml.jackson.annotation.JsonInclude(
              com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
          List<dev.porthole.attribution.PublishedPort> published) {}

  @Override
  public Integer call() {
    return run(spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  /**
   * Runs {@code ports} or {@code ports --all} with no other option, as parsing would leave it: the
   * fast path of {@code Shortcuts}, which starts without picocli.
   */
  public static int runUnparsed(boolean all, PrintWriter out, PrintWriter err) {
    PortsCommand ports = new PortsCommand();
    ports.output = new OutputOptions();
    ports.all = all;
    return ports.run(out, err);
  }

  /**
   * Lists the sockets on {@code out} (its notes on {@code err}) and returns the exit code: the
   * whole command after parsing.
   */
  int run(PrintWriter out, PrintWriter err) {
    Predicate<SocketEntry> which = socketFilter();
    List<PortRange> ranges = ports.stream().map(PortsCommand::range).toList();
    // The kernel is told the span from the lowest range to the highest; each range is tested here.
    LineFilter quick =
        ranges.isEmpty()
            ? LineFilter.ALL
            : LineFilter.ports(
                ranges.stream().mapToInt(PortRange::first).min().orElseThrow(),
                ranges.stream().mapToInt(PortRange::last).max().orElseThrow(),
                port -> ranges.stream().anyMatch(r -> r.contains(port)));
    if (!all && states.isEmpty()) {
      quick = quick.and(LineFilter.LISTENERS);
    }
    SocketSnapshot snapshot = Inventory.snapshot(quick, which);
    Attributor attributor = noOrigins ? Attributor.none() : Attributor.system();
    List<SocketRow> rows = Inventory.rows(snapshot, true, attributor);
    List<NamespaceRows.Row> inside =
        namespaces ? NamespaceRows.read(attributor.containers(), which) : null;
    List<String> natNotes = new ArrayList<>();
    List<dev.porthole.attribution.PublishedPort> published =
        allPublished
            ? PublishedRows.read(
                attributor.containers(),
                rows,
                dev.porthole.attribution.NatTable.system(),
                port -> ranges.isEmpty() || ranges.stream().anyMatch(r -> r.contains(port)),
                natNotes)
            : null;
    // After the published ports: the engine's problem (asked for them) is among the notes.
    List<String> notes = new ArrayList<>(Inventory.notes(snapshot, attributor));
    notes.addAll(natNotes);
    if (process != null) {
      rows = rows.stream().filter(this::processMatches).toList();
    }
    if (output.json()) {
      output.printJson(out, new Report(rows, notes, snapshot.skippedLines(), inside, published));
      return ExitCodes.OK;
    }
    print(out, rows, output.terminal());
    if (inside != null) {
      NamespaceRows.print(out, inside, output.terminal());
    }
    if (published != null) {
      PublishedRows.print(out, published, output.terminal());
    }
    Inventory.printNotes(err, notes);
    return ExitCodes.OK;
  }

  private void print(PrintWriter out, List<SocketRow> rows, Terminal terminal) {
    boolean remote = all || !states.isEmpty();
    Table table =
        remote
            ? new Table(
                    "PROTO", "ADDRESS", "PORT", "REMOTE", "STATE", "PID", "PROCESS", "USER",
                    "SCOPE", "CLASS", "SERVICE", "ORIGIN")
                .alignRight(2, 5)
            : new Table(
                    "PROTO", "ADDRESS", "PORT", "STATE", "PID", "PROCESS", "USER", "SCOPE", "CLASS",
                    "SERVICE", "ORIGIN")
                .alignRight(2, 4);
    for (SocketRow r : rows) {
      // "?" is an owner we could not see; "-" a socket no process holds (TIME_WAIT).
      String unknown = r.inode() == 0 ? "-" : "?";
      String pid = r.pid() != null ? r.pid().toString() : unknown;
      String name = r.process() != null ? r.process() : unknown;
      String scopeCell = r.scope().equals("all") ? terminal.yellow(r.scope()) : r.scope();
      if (remote) {
        String peer =
            r.remoteAddress() == null ? "-" : SocketRow.hostPort(r.remoteAddress(), r.remotePort());
        table.row(
            r.proto(),
            r.localAddress(),
            r.port(),
            peer,
            r.state(),
            pid,
            name,
            r.user(),
            scopeCell,
            r.portClass(),
            r.service(),
            r.origin() == null ? null : r.origin().summary());
      } else {
        table.row(
            r.proto(),
            r.localAddress(),
            r.port(),
            r.state(),
            pid,
            name,
            r.user(),
            scopeCell,
            r.portClass(),
            r.service(),
            r.origin() == null ? null : r.origin().summary());
      }
    }
    if (table.isEmpty()) {
      out.println(
          remote ? "no sockets match" : "nothing listens" + (filtered() ? " that matches" : ""));
      out.flush();
      return;
    }
    table.print(out, terminal);
  }

  private boolean filtered() {
    return !ports.isEmpty() || process != null || scope != null || tcp || udp || ipv4 || ipv6;
  }

  /** Returns the filter on /proc/net lines, so the owner scan only looks for sockets shown. */
  Predicate<SocketEntry> socketFilter() {
    List<PortRange> ranges = ports.stream().map(PortsCommand::range).toList();
    Set<SocketState> wanted = states();
    BindScope bindScope = scope == null ? null : scope(scope);
    boolean anyConnection = all || !wanted.isEmpty();
    return s ->
        (anyConnection || s.listening())
            && (wanted.isEmpty() || wanted.contains(s.state()))
            && (ranges.isEmpty() || ranges.stream().anyMatch(r -> r.contains(s.localPort())))
            && (bindScope == null || s.scope() == bindScope)
            && (tcp == udp
                || (tcp ? s.protocol().name().equals("TCP") : s.protocol().name().equals("UDP")))
            && (ipv4 == ipv6 || (s.localAddress() instanceof Inet4Address) == ipv4);
  }

  private boolean processMatches(SocketRow row) {
    String want = process.strip();
    if (!want.isEmpty() && want.chars().allMatch(Character::isDigit)) {
      return row.owners().stream().anyMatch(o -> Integer.toString(o.pid()).equals(want));
    }
    String lower = want.toLowerCase(Locale.ROOT);
    return row.owners().stream()
        .anyMatch(
            o ->
                o.name().toLowerCase(Locale.ROOT).contains(lower)
                    || o.commandLine().toLowerCase(Locale.ROOT).contains(lower));
  }

  private static PortRange range(String text) {
    try {
      return PortRange.parse(text, "--port");
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
  }

  private Set<SocketState> states() {
    Set<SocketState> set = EnumSet.noneOf(SocketState.class);
    for (String s : states) {
      try {
        set.add(SocketState.valueOf(s.strip().toUpperCase(Locale.ROOT).replace('-', '_')));
      } catch (IllegalArgumentException e) {
        throw CliException.usage(
            "--state: '"
                + s
                + "' (expected one of: "
                + EnumSet.allOf(SocketState.class)
                    .toString()
                    .toLowerCase(Locale.ROOT)
                    .replaceAll("[\\[\\]]", "")
                + ")");
      }
    }
    return set;
  }

  private static BindScope scope(String text) {
    for (BindScope s : BindScope.values()) {
      if (s.label().equalsIgnoreCase(text.strip()) || s.name().equalsIgnoreCase(text.strip())) {
        return s;
      }
    }
    throw CliException.usage("--scope: '" + text + "' (expected: loopback, all or specific)");
  }
}
