package dev.porthole.server;

import dev.porthole.checks.CommandRunner;
import dev.porthole.firewall.FirewallCleaner;
import dev.porthole.firewall.FirewallLedger;
import dev.porthole.firewall.NetAdmin;
import dev.porthole.store.Store;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code firewall clean} when the daemon starts: the rules a crash, kill -9 or reboot left
 * behind are removed before anything else runs. No filter command runs when the store records no
 * open rule, and a failure is logged, never fatal (the daemon's other work does not need it).
 */
final class FirewallAtStart {
  private static final Logger LOG = LoggerFactory.getLogger(FirewallAtStart.class);

  private FirewallAtStart() {}

  static void clean(Store store) {
    FirewallLedger ledger = new FirewallLedger(store);
    try {
      if (ledger.open().isEmpty()) {
        return;
      }
      if (!NetAdmin.permitted()) {
        LOG.warn(
            "porthole firewall rules may be left behind; remove them: sudo porthole firewall"
                + " clean");
        return;
      }
      for (FirewallCleaner.Cleaned c :
          new FirewallCleaner(ledger, CommandRunner.system(Duration.ofSeconds(15)))
              .clean(System.currentTimeMillis())) {
        if (c.error() != null) {
          LOG.warn("firewall clean: porthole:{} ({}): {}", c.id(), c.rule(), c.error());
        } else {
          LOG.info("firewall clean: removed porthole:{} ({}) left behind", c.id(), c.rule());
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("firewall clean at start failed: {}", e.getMessage());
    }
  }
}
