package dev.porthole.firewall;

import dev.porthole.checks.CommandRunner;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the timers of the rules a long-running process (the daemon) added: one scheduled removal
 * per timed rule, recorded in the {@link FirewallLedger} with this process as the holder.
 *
 * <p>{@link #rearm} takes over the timed rules a previous daemon added and did not live to remove
 * (a crash, kill -9), as long as their time is not up; {@link #close} (the daemon stopping) removes
 * the timed rules it holds, so that a rule never outlives its time because nobody runs, and leaves
 * {@code --keep} rules in place.
 */
public final class RuleTimers implements AutoCloseable {
  /** The reason recorded for rules added through the daemon. */
  public static final String REASON = "daemon";

  private static final Logger LOG = LoggerFactory.getLogger(RuleTimers.class);

  private final FirewallLedger ledger;
  private final CommandRunner runner;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "porthole-firewall-timers");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, ScheduledFuture<?>> timers = new ConcurrentHashMap<>();

  public RuleTimers(FirewallLedger ledger, CommandRunner runner) {
    this.ledger = ledger;
    this.runner = runner;
  }

  /**
   * Returns a rule just added.
   *
   * @param expiresMs when it is removed, epoch ms; null for a kept rule
   */
  public record Added(FirewallRule rule, String filter, Long expiresMs) {}

  /**
   * Records and inserts {@code rule}, and schedules its removal after {@code hold} (null: keep it
   * until removed). Throws {@link FirewallException} when no filter runs or the insert fails.
   */
  public synchronized Added add(FirewallRule rule, Duration hold) {
    PacketFilter filter = PacketFilters.detect(runner);
    Long expires = hold == null ? null : System.currentTimeMillis() + hold.toMillis();
    ledger.record(
        rule, filter.name(), expires, hold == null ? null : ProcessHandle.current(), REASON);
    try {
      filter.insert(rule);
    } catch (FirewallException e) {
      ledger.markRemoved(rule.id());
      throw e;
    }
    if (hold != null) {
      schedule(rule.id(), hold.toMillis());
    }
    return new Added(rule, filter.name(), expires);
  }

  /**
   * Takes over the daemon's timed rules whose holder is gone and whose time is not up, and
   * schedules their removal; returns how many. Expired ones are left to {@link FirewallCleaner}.
   */
  public synchronized int rearm(long nowMs) {
    int n = 0;
    for (FirewallLedger.Entry e : ledger.open()) {
      boolean live = e.expiresMs() != null && e.expiresMs() > nowMs;
      if (REASON.equals(e.reason()) && live && !FirewallLedger.ownerAlive(e)) {
        ledger.adopt(e.rule().id(), ProcessHandle.current());
        schedule(e.rule().id(), e.expiresMs() - nowMs);
        n++;
      }
    }
    return n;
  }

  /**
   * Removes the open rule {@code id} now (whoever holds it) and cancels its timer; returns the
   * ledger entry, or empty when no such rule is in force.
   */
  public synchronized Optional<FirewallLedger.Entry> remove(String id) {
    Optional<FirewallLedger.Entry> e = ledger.find(id).filter(x -> x.removedMs() == null);
    if (e.isEmpty()) {
      return e;
    }
    ScheduledFuture<?> f = timers.remove(id);
    if (f != null) {
      f.cancel(false);
    }
    PacketFilters.named(e.get().filter(), runner).remove(id);
    ledger.markRemoved(id);
    return e;
  }

  /** Returns the ids whose removal is scheduled here. */
  public java.util.Set<String> held() {
    return java.util.Set.copyOf(timers.keySet());
  }

  private void schedule(String id, long delayMs) {
    timers.put(id, timer.schedule(() -> expire(id), Math.max(0, delayMs), TimeUnit.MILLISECONDS));
  }

  private void expire(String id) {
    try {
      synchronized (this) {
        if (timers.remove(id) != null) {
          remove(id);
          LOG.info("firewall: removed porthole:{}, its time is up", id);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("firewall: porthole:{} not removed: {}", id, e.getMessage());
    }
  }

  /** Stops the timers and removes the timed rules held here; kept rules stay. */
  @Override
  public synchronized void close() {
    timer.shutdownNow();
    for (String id : java.util.List.copyOf(timers.keySet())) {
      try {
        remove(id);
      } catch (RuntimeException e) {
        LOG.warn("firewall: porthole:{} not removed at stop: {}", id, e.getMessage());
      }
    }
    timers.clear();
  }
}
