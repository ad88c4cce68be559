package dev.porthole.firewall;

import dev.porthole.store.Store;
import java.util.List;
import java.util.Optional;

/**
 * Returns the store's record of every rule porthole inserted: written <em>before</em> the rule goes
 * into the filter, so that a crash, a kill -9 or a reboot leaves a trace that {@link
 * FirewallCleaner} follows, and marked removed once the rule is gone.
 */
public final class FirewallLedger {
  private final Store store;

  public FirewallLedger(Store store) {
    this.store = store;
  }

  /**
   * Returns one recorded rule.
   *
   * @param expiresMs when its time is up, epoch ms; null for {@code --keep}
   * @param ownerPid the process holding its timer, or null (kept, or held by nobody)
   * @param ownerStart that process's start time (ISO-8601), to tell a reused pid
   * @param reason why it was added ({@code firewall}, {@code quarantine ID})
   * @param removedMs when it was removed, or null while it is in force
   */
  public record Entry(
      FirewallRule rule,
      String filter,
      long createdMs,
      Long expiresMs,
      Long ownerPid,
      String ownerStart,
      String reason,
      Long removedMs) {}

  /** Records {@code rule}, about to be inserted into {@code filter}. */
  public void record(
      FirewallRule rule, String filter, Long expiresMs, ProcessHandle owner, String reason) {
    String start =
        owner == null ? null : owner.info().startInstant().map(Object::toString).orElse(null);
    store.execute(
        "INSERT INTO firewall_rules(id, backend, verdict, protocol, port, iface, owner_pid,"
            + " owner_start, reason, created_ms, expires_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        rule.id(),
        filter,
        rule.verdict(),
        rule.protocol(),
        rule.port(),
        rule.iface(),
        owner == null ? null : owner.pid(),
        start,
        reason,
        System.currentTimeMillis(),
        expiresMs);
  }

  /** Makes {@code owner} the holder of the rule's timer (a restarted daemon taking it over). */
  public void adopt(String id, ProcessHandle owner) {
    store.execute(
        "UPDATE firewall_rules SET owner_pid = ?, owner_start = ? WHERE id = ?",
        owner.pid(),
        owner.info().startInstant().map(Object::toString).orElse(null),
        id);
  }

  /** Marks the rule removed from the filter. */
  public void markRemoved(String id) {
    store.execute(
        "UPDATE firewall_rules SET removed_ms = ? WHERE id = ? AND removed_ms IS NULL",
        System.currentTimeMillis(),
        id);
  }

  /** Returns the rules still in force (not marked removed), oldest first. */
  public List<Entry> open() {
    return store.query(
        SELECT + " WHERE removed_ms IS NULL ORDER BY created_ms", FirewallLedger::entry);
  }

  /** Returns the rule with {@code id}, removed or not. */
  public Optional<Entry> find(String id) {
    return store.query(SELECT + " WHERE id = ?", FirewallLedger::entry, id).stream().findFirst();
  }

  private static final String SELECT =
      "SELECT id, verdict, protocol, port, iface, backend, created_ms, expires_ms, owner_pid,"
          + " owner_start, reason, removed_ms FROM firewall_rules";

  private static Entry entry(java.sql.ResultSet rs) throws java.sql.SQLException {
    FirewallRule rule =
        new FirewallRule(
            rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5));
    return new Entry(
        rule,
        rs.getString(6),
        rs.getLong(7),
        nullableLong(rs, 8),
        nullableLong(rs, 9),
        rs.getString(10),
        rs.getString(11),
        nullableLong(rs, 12));
  }

  private static Long nullableLong(java.sql.ResultSet rs, int column) throws java.sql.SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  /** Returns true while the process that holds the entry's timer still runs (same start time). */
  public static boolean ownerAlive(Entry e) {
    if (e.ownerPid() == null) {
      return false;
    }
    return ProcessHandle.of(e.ownerPid())
        .filter(ProcessHandle::isAlive)
        .map(
            h ->
                e.ownerStart() == null
                    || h.info()
                        .startInstant()
                        .map(Object::toString)
                        .orElse("")
                        .equals(e.ownerStart()))
        .orElse(false);
  }
}
