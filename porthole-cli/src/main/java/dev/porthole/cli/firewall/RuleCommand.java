package dev.porthole.cli.firewall;

import dev.porthole.checks.CommandRunner;
import dev.porthole.cli.CliException;
import dev.porthole.cli.ExitCodes;
import dev.porthole.cli.OutputOptions;
import dev.porthole.cli.watch.WatchData;
import dev.porthole.firewall.FirewallException;
import dev.porthole.firewall.FirewallLedger;
import dev.porthole.firewall.FirewallRule;
import dev.porthole.firewall.PacketFilter;
import dev.porthole.firewall.PacketFilters;
import dev.porthole.store.DataDir;
import dev.porthole.store.Store;
import dev.porthole.text.Durations;
import dev.porthole.text.Numbers;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Adds one tagged rule. When a daemon runs it gets the rule and holds the timer, and the command
 * returns at once; else (or with {@code --foreground}) the command holds it in the foreground:
 * recorded in the store, inserted, removed when {@code --for} is up or when porthole is ended
 * (Ctrl-C, SIGTERM). With {@code --keep} it returns at once and the rule stays until {@code
 * firewall remove ID}.
 */
abstract class RuleCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin OutputOptions output;

  @Parameters(index = "0", paramLabel = "PORT", description = "The local port (1-65535).")
  String portText;

  @Option(
      names = "--for",
      paramLabel = "DURATION",
      description = "How long the rule stays (e.g. 30s, 10m, 1h30m); required unless --keep.")
  String forText;

  @Option(names = "--keep", description = "Keep the rule until 'porthole firewall remove ID'.")
  boolean keep;

  @Option(names = "--tcp", description = "TCP (the default).")
  boolean tcp;

  @Option(names = "--udp", description = "UDP instead of TCP.")
  boolean udp;

  @Option(
      names = "--interface",
      paramLabel = "NAME",
      description = "Only traffic arriving on this interface (e.g. lo); default: every interface.")
  String iface;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where the SQLite file (and the daemon's token) live.")
  Path dataDir;

  @Option(
      names = "--url",
      paramLabel = "URL",
      description =
          "The daemon that holds the timer (default: $PORTHOLE_URL or http://127.0.0.1:62893;"
              + " none there: the foreground).")
  String url;

  @Option(
      names = "--foreground",
      description = "Hold the rule in this process even when a daemon runs.")
  boolean foreground;

  /** Returns {@code accept} or {@code drop}. */
  abstract String verdict();

  /** Returns the JSON line printed when the rule is in: what, where, until when. */
  record Added(String id, String rule, String filter, Long expiresMs) {}

  @Override
  public Integer call() {
    int port = Numbers.port(portText, "PORT");
    if (keep == (forText != null)) {
      throw CliException.usage(
          keep
              ? "--for and --keep: choose one"
              : "--for is required (e.g. --for 10m), or --keep to leave the rule in place");
    }
    if (tcp && udp) {
      throw CliException.usage("--tcp and --udp: choose one");
    }
    Duration hold = keep ? null : Durations.parsePositive(forText, "--for");
    FirewallRule rule = FirewallRule.create(verdict(), udp ? "udp" : "tcp", port, iface);
    if (!foreground) {
      Optional<DaemonRules> daemon = DaemonRules.find(url, dataDir);
      if (daemon.isPresent()) {
        Optional<DaemonRules.Added> added = daemon.get().add(rule, hold);
        if (added.isPresent()) {
          return announce(daemon.get().url(), added.get(), hold);
        }
        spec.commandLine()
            .getErr()
            .println(
                "note: the daemon at "
                    + daemon.get().url()
                    + " may not change packet filter rules (not root); holding the rule here");
      }
    }
    Privilege.require(spec);
    CommandRunner runner = CommandRunner.system(Duration.ofSeconds(15));
    try (Store store = WatchData.openForWriting(DataDir.resolve(dataDir))) {
      FirewallLedger ledger = new FirewallLedger(store);
      PacketFilter filter = PacketFilters.detect(runner);
      Long expires = hold == null ? null : System.currentTimeMillis() + hold.toMillis();
      ledger.record(
          rule, filter.name(), expires, keep ? null : ProcessHandle.current(), "firewall");
      Remover remover = new Remover(rule, filter, ledger);
      if (!keep) {
        // Before the insert: a SIGTERM right after it must find the hook in place.
        Runtime.getRuntime().addShutdownHook(remover.hook);
      }
      try {
        filter.insert(rule);
      } catch (FirewallException e) {
        ledger.markRemoved(rule.id());
        remover.removed.set(true);
        throw e;
      }
      announce(rule, filter, expires, hold);
      return keep ? ExitCodes.OK : hold(rule, remover, hold);
    } catch (FirewallException e) {
      throw CliException.failure(e.getMessage());
    }
  }

  private int announce(String url, DaemonRules.Added added, Duration hold) {
    PrintWriter out = spec.commandLine().getOut();
    Long expires = added.expiresMs();
    if (output.json()) {
      output.printJson(out, new Added(added.id(), added.rule(), added.filter(), expires));
    } else {
      out.println(
          "added "
              + FirewallRule.TAG
              + added.id()
              + ": "
              + added.rule()
              + " ("
              + added.filter()
              + ")"
              + (expires == null
                  ? "; kept until: porthole firewall remove " + added.id()
                  : "; the daemon at "
                      + url
                      + " removes it in "
                      + Durations.format(hold)
                      + ", at "
                      + Instant.ofEpochMilli(expires).truncatedTo(ChronoUnit.SECONDS)));
    }
    out.flush();
    return ExitCodes.OK;
  }

  private void announce(FirewallRule rule, PacketFilter filter, Long expires, Duration hold) {
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      output.printJson(out, new Added(rule.id(), rule.describe(), filter.name(), expires));
      return;
    }
    out.println(
        "added "
            + rule.comment()
            + ": "
            + rule.describe()
            + " ("
            + filter.name()
            + ")"
            + (hold == null
                ? "; kept until: porthole firewall remove " + rule.id()
                : "; removed in " + Durations.format(hold) + " or on Ctrl-C"));
    out.flush();
  }

  /** Removes the rule once, from the main thread or from the shutdown hook. */
  private static final class Remover implements Runnable {
    final AtomicBoolean removed = new AtomicBoolean();
    final Thread hook = new Thread(this, "porthole-firewall-remove");
    private final FirewallRule rule;
    private final PacketFilter filter;
    private final FirewallLedger ledger;

    Remover(FirewallRule rule, PacketFilter filter, FirewallLedger ledger) {
      this.rule = rule;
      this.filter = filter;
      this.ledger = ledger;
    }

    @Override
    public void run() {
      if (removed.compareAndSet(false, true)) {
        filter.remove(rule.id());
        ledger.markRemoved(rule.id());
      }
    }
  }

  /** Waits out {@code hold}, then removes the rule; the shutdown hook removes it if ended early. */
  private int hold(FirewallRule rule, Remover remover, Duration hold) {
    try {
      Thread.sleep(hold);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    remover.run();
    try {
      Runtime.getRuntime().removeShutdownHook(remover.hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running; it finds the rule already removed
    }
    if (!output.json()) {
      PrintWriter out = spec.commandLine().getOut();
      out.println("removed " + rule.comment());
      out.flush();
    }
    return ExitCodes.OK;
  }
}
