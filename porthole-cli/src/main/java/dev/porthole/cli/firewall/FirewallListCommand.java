package dev.porthole.cli.firewall;

import dev.porthole.checks.CommandRunner;
import dev.porthole.checks.FirewallRules;
import dev.porthole.cli.ExitCodes;
import dev.porthole.cli.OutputOptions;
import dev.porthole.cli.output.Table;
import dev.porthole.cli.watch.WatchData;
import dev.porthole.firewall.FirewallException;
import dev.porthole.firewall.FirewallLedger;
import dev.porthole.firewall.NetAdmin;
import dev.porthole.firewall.PacketFilters;
import dev.porthole.store.DataDir;
import dev.porthole.store.Store;
import dev.porthole.text.Durations;
import dev.porthole.text.Numbers;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Returns {@code firewall list}: porthole's rules with time left, and the others on the port. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = {
      "Show porthole's rules in force (time left, who holds the timer, whether the filter still"
          + " has it) and, beside them, the machine's other rules that touch the same ports.",
    },
    footer = {
      "",
      "Examples:",
      "  sudo porthole firewall list",
      "  sudo porthole firewall list 62893 --json",
      "  porthole firewall list --url http://127.0.0.1:62893"
    })
final class FirewallListCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin OutputOptions output;

  @Parameters(arity = "0..1", paramLabel = "PORT", description = "Only rules for this port.")
  String portText;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where the SQLite file (and the daemon's token) live.")
  Path dataDir;

  @Option(
      names = "--url",
      paramLabel = "URL",
      description =
          "The daemon whose rules to list (default: $PORTHOLE_URL or http://127.0.0.1:62893;"
              + " none there: this machine's store).")
  String url;

  /** Returns one of porthole's rules as listed; inFilter is null when the filter is unreadable. */
  record Row(
      String id, String rule, String filter, String left, Long holderPid, Boolean inFilter) {}

  /** Returns the JSON of {@code firewall list --json}. */
  record Listing(List<Row> porthole, List<String> others, List<String> notes) {}

  @Override
  public Integer call() {
    Integer only = portText == null ? null : Numbers.port(portText, "PORT");
    List<String> notes = new ArrayList<>();
    List<FirewallLedger.Entry> open = open(notes);
    open = open.stream().filter(e -> only == null || e.rule().port() == only).toList();
    CommandRunner runner = CommandRunner.system(Duration.ofSeconds(15));
    boolean canRead = NetAdmin.permitted();
    if (!canRead) {
      notes.add(
          "filter not read (needs root or CAP_NET_ADMIN): run " + Privilege.sudoCommand(spec));
    }
    List<Row> rows = rows(open, canRead ? present(open, runner, notes) : null);
    Set<Integer> ports = new TreeSet<>();
    open.forEach(e -> ports.add(e.rule().port()));
    if (only != null) {
      ports.add(only);
    }
    List<String> others = new ArrayList<>();
    if (canRead) {
      ports.forEach(p -> others.addAll(FirewallRules.touching(runner, p)));
    }
    print(new Listing(rows, List.copyOf(new java.util.LinkedHashSet<>(others)), notes));
    return ExitCodes.OK;
  }

  /** Returns the rules in force: the running daemon's, else those in this machine's store. */
  private List<FirewallLedger.Entry> open(List<String> notes) {
    Optional<DaemonRules> daemon = DaemonRules.find(url, dataDir);
    if (daemon.isPresent()) {
      notes.add("rules from the daemon at " + daemon.get().url());
      return daemon.get().list();
    }
    try (Store store = WatchData.openForWriting(DataDir.resolve(dataDir))) {
      return new FirewallLedger(store).open();
    }
  }

  private static List<Row> rows(List<FirewallLedger.Entry> open, Set<String> present) {
    long now = System.currentTimeMillis();
    List<Row> rows = new ArrayList<>();
    for (FirewallLedger.Entry e : open) {
      rows.add(
          new Row(
              e.rule().id(),
              e.rule().describe(),
              e.filter(),
              left(e, now),
              e.ownerPid(),
              present == null ? null : present.contains(e.rule().id())));
    }
    return rows;
  }

  private static Set<String> present(
      List<FirewallLedger.Entry> open, CommandRunner runner, List<String> notes) {
    Set<String> ids = new HashSet<>();
    for (String filter : open.stream().map(FirewallLedger.Entry::filter).distinct().toList()) {
      try {
        ids.addAll(PacketFilters.named(filter, runner).taggedIds());
      } catch (FirewallException e) {
        notes.add(filter + " not read: " + e.getMessage());
      }
    }
    return ids;
  }

  private static String left(FirewallLedger.Entry e, long now) {
    if (e.expiresMs() == null) {
      return e.ownerPid() == null ? "kept" : "held";
    }
    if (e.expiresMs() <= now) {
      return "expired";
    }
    String left = Durations.format(Duration.ofSeconds((e.expiresMs() - now + 999) / 1000));
    return FirewallLedger.ownerAlive(e) ? left : left + " (holder gone: firewall clean)";
  }

  private void print(Listing listing) {
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      output.printJson(out, listing);
      return;
    }
    if (listing.porthole().isEmpty()) {
      out.println("porthole has no rules in force");
    } else {
      Table table = new Table("ID", "RULE", "FILTER", "LEFT", "HOLDER", "IN FILTER");
      for (Row r : listing.porthole()) {
        table.row(
            r.id(),
            r.rule(),
            r.filter(),
            r.left(),
            r.holderPid() == null ? "-" : "PID " + r.holderPid(),
            r.inFilter() == null ? "?" : r.inFilter() ? "yes" : "no (gone)");
      }
      table.print(out, output.terminal());
    }
    if (!listing.others().isEmpty()) {
      out.println();
      out.println("Other rules on these ports (not porthole's, never touched):");
      listing.others().forEach(o -> out.println("  " + o));
    }
    listing.notes().forEach(n -> out.println("note: " + n));
    out.flush();
  }
}
