package dev.porthole.firewall;

import dev.porthole.checks.CommandRunner;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes the rules that nobody holds any more: recorded in the {@link FirewallLedger}, not kept
 * ({@code --keep}), and either expired or held by a process that is gone (a crash, kill -9, a
 * reboot). Only rules recorded in the ledger are touched, and only by their {@code porthole:ID}
 * comment; every other rule stays as it is.
 */
public final class FirewallCleaner {
  private final FirewallLedger ledger;
  private final CommandRunner runner;

  public FirewallCleaner(FirewallLedger ledger, CommandRunner runner) {
    this.ledger = ledger;
    this.runner = runner;
  }

  /**
   * Returns what one clean did to one rule.
   *
   * @param removed how many filter rules went (0: it was already gone, e.g. after a reboot)
   * @param error why it could not be removed, or null
   */
  public record Cleaned(String id, String rule, String filter, int removed, String error) {}

  /** Removes what was left behind; returns one line per rule it looked at and took off. */
  public List<Cleaned> clean(long nowMs) {
    List<Cleaned> out = new ArrayList<>();
    for (FirewallLedger.Entry e : ledger.open()) {
      if (!leftBehind(e, nowMs)) {
        continue;
      }
      try {
        int removed = PacketFilters.named(e.filter(), runner).remove(e.rule().id());
        ledger.markRemoved(e.rule().id());
        out.add(new Cleaned(e.rule().id(), e.rule().describe(), e.filter(), removed, null));
      } catch (FirewallException ex) {
        out.add(new Cleaned(e.rule().id(), e.rule().describe(), e.filter(), 0, ex.getMessage()));
      }
    }
    return out;
  }

  /** Returns true when nobody will remove the rule: its holder is gone, or its time is up. */
  static boolean leftBehind(FirewallLedger.Entry e, long nowMs) {
    boolean kept = e.expiresMs() == null && e.ownerPid() == null;
    if (kept) {
      return false;
    }
    boolean expired = e.expiresMs() != null && e.expiresMs() <= nowMs;
    return expired || !FirewallLedger.ownerAlive(e);
  }
}
