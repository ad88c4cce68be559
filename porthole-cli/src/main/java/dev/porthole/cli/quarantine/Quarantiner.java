package dev.porthole.cli.quarantine;

import dev.porthole.checks.CommandRunner;
import dev.porthole.cli.CliException;
import dev.porthole.firewall.FirewallException;
import dev.porthole.firewall.FirewallLedger;
import dev.porthole.firewall.FirewallRule;
import dev.porthole.firewall.PacketFilter;
import dev.porthole.firewall.PacketFilters;
import dev.porthole.quarantine.Freezer;
import dev.porthole.quarantine.Quarantine;
import dev.porthole.quarantine.QuarantineStore;
import dev.porthole.store.Store;
import dev.porthole.watch.ProcessDetails;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Does and undoes a quarantine: records it, inserts a tagged DROP rule per listening port (each in
 * the firewall ledger, so {@code firewall list} shows them too), then SIGSTOPs the process.
 */
final class Quarantiner {
  private final QuarantineStore quarantines;
  private final FirewallLedger ledger;
  private final CommandRunner runner = CommandRunner.system(Duration.ofSeconds(15));

  Quarantiner(Store store) {
    this.quarantines = new QuarantineStore(store);
    this.ledger = new FirewallLedger(store);
  }

  Quarantine quarantine(ProcessDetails d, List<String> ports) {
    byte[] b = new byte[4];
    new java.security.SecureRandom().nextBytes(b);
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
      throw CliException.failure("cannot block " + d.label() + "'s ports: " + e.getMessage());
    }
    String error = new Freezer(runner).freeze(d.pid());
    if (error != null) {
      undoRules(ruleIds);
      quarantines.markReleased(id);
      throw CliException.failure("cannot stop " + d.label() + ": " + error);
    }
    return quarantines.find(id).orElse(q);
  }

  /** Removes the rules and resumes the process (only if it is still the same one). */
  String release(Quarantine q) {
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
