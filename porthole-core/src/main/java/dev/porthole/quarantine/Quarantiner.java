package dev.porthole.quarantine;

import dev.porthole.checks.CommandRunner;
import dev.porthole.firewall.FirewallException;
import dev.porthole.firewall.FirewallLedger;
import dev.porthole.firewall.FirewallRule;
import dev.porthole.firewall.PacketFilter;
import dev.porthole.firewall.PacketFilters;
import dev.porthole.sockets.LineFilter;
import dev.porthole.sockets.OwnedSocket;
import dev.porthole.sockets.ProcessInfo;
import dev.porthole.sockets.SocketInventory;
import dev.porthole.store.Store;
import dev.porthole.watch.ProcessDetails;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

/**
 * Does and undoes a quarantine: records it, inserts a tagged DROP rule per listening port (each in
 * the firewall ledger, so {@code firewall list} shows them too), then SIGSTOPs the process. The
 * {@code quarantine} command, the watch's {@code quarantine} action and the dashboard's Release
 * button all go through here.
 */
public final class Quarantiner {
  private static final SecureRandom IDS = new SecureRandom();

  private final QuarantineStore quarantines;
  private final FirewallLedger ledger;
  private final CommandRunner runner = CommandRunner.system(Duration.ofSeconds(15));

  public Quarantiner(Store store) {
    this.quarantines = new QuarantineStore(store);
    this.ledger = new FirewallLedger(store);
  }

  /**
   * Quarantines {@code d}: a DROP rule for each of {@code ports} ("tcp/8080"), then SIGSTOP. On a
   * failure what was done is undone and a {@link QuarantineException} says why.
   */
  public Quarantine quarantine(ProcessDetails d, List<String> ports) {
    byte[] b = new byte[4];
    IDS.nextBytes(b);
    String id = HexFormat.of().formatHex(b);
    Quarantine q =
        new Quarantine(
            id,
            d.pid(),
            d.startTicks(),
            d.name(),
            d.exe(),
            d.sha256(),
            ports,
            List.of(),
            System.currentTimeMillis(),
            null);
    quarantines.record(q);
    List<String> ruleIds = new ArrayList<>();
    try {
      PacketFilter filter = ports.isEmpty() ? null : PacketFilters.detect(runner);
      for (String p : ports) {
        String[] f = p.split("/");
        FirewallRule rule = FirewallRule.create("drop", f[0], Integer.parseInt(f[1]), null);
        ledger.record(rule, filter.name(), null, null, "quarantine " + id);
        ruleIds.add(rule.id());
        quarantines.setRules(id, ruleIds);
        filter.insert(rule);
      }
    } catch (FirewallException e) {
      undoRules(ruleIds);
      quarantines.markReleased(id);
      throw new QuarantineException(
          "cannot block " + d.label() + "'s ports: " + e.getMessage());
    }
    String error = new Freezer(runner).freeze(d.pid());
    if (error != null) {
      undoRules(ruleIds);
      quarantines.markReleased(id);
      throw new QuarantineException("cannot stop " + d.label() + ": " + error);
    }
    return quarantines.find(id).orElse(q);
  }

  /**
   * Removes the rules and resumes the process (only if it is still the same one); returns what
   * happened to the process, in one sentence. A rule that cannot be removed throws a {@link
   * FirewallException} and leaves the quarantine in force.
   */
  public String release(Quarantine q) {
    undoRules(q.ruleIds());
    String note;
    if (Freezer.startTicks(q.pid()) != q.startTicks()) {
      note = "PID " + q.pid() + " is gone (or another process now has it): nothing resumed";
    } else {
      String error = new Freezer(runner).thaw(q.pid());
      note = error == null ? "resumed PID " + q.pid() + " (" + q.name() + ")" : error;
    }
    quarantines.markReleased(q.id());
    return note;
  }

  /** Returns what {@code pid} listens on, as "tcp/8080", sorted. */
  public static List<String> listeningPorts(int pid) {
    TreeSet<String> ports = new TreeSet<>();
    for (OwnedSocket s :
        SocketInventory.snapshotAnywhere(LineFilter.LISTENERS, e -> true).sockets()) {
      for (ProcessInfo o : s.owners()) {
        if (o.pid() == pid) {
          ports.add(s.socket().protocol().label() + "/" + s.socket().localPort());
        }
      }
    }
    return List.copyOf(ports);
  }

  private void undoRules(List<String> ruleIds) {
    for (String rid : ruleIds) {
      ledger
          .find(rid)
          .filter(e -> e.removedMs() == null)
          .ifPresent(
              e -> {
                PacketFilters.named(e.filter(), runner).remove(rid);
                ledger.markRemoved(rid);
              });
    }
  }
}
