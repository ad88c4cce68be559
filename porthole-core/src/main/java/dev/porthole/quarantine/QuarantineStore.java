package dev.porthole.quarantine;

import dev.porthole.store.Store;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Returns the store's table of quarantined processes. */
public final class QuarantineStore {
  private static final String SELECT =
      "SELECT id, pid, start_ticks, name, exe, sha256, ports, rule_ids, created_ms, released_ms"
          + " FROM quarantines";

  private final Store store;

  public QuarantineStore(Store store) {
    this.store = store;
  }

  /** Records {@code q}: before the process is frozen, so a crash in between leaves a trace. */
  public void record(Quarantine q) {
    store.execute(
        "INSERT INTO quarantines(id, pid, start_ticks, name, exe, sha256, ports, rule_ids,"
            + " created_ms) VALUES (?,?,?,?,?,?,?,?,?)",
        q.id(),
        q.pid(),
        q.startTicks(),
        q.name(),
        q.exe(),
        q.sha256(),
        String.join(",", q.ports()),
        String.join(",", q.ruleIds()),
        q.createdMs());
  }

  /** Sets the rule ids once they are known. */
  public void setRules(String id, List<String> ruleIds) {
    store.execute(
        "UPDATE quarantines SET rule_ids = ? WHERE id = ?", String.join(",", ruleIds), id);
  }

  /** Marks {@code id} released. */
  public void markReleased(String id) {
    store.execute(
        "UPDATE quarantines SET released_ms = ? WHERE id = ? AND released_ms IS NULL",
        System.currentTimeMillis(),
        id);
  }

  /** Returns the quarantines still in force, oldest first. */
  public List<Quarantine> open() {
    return store.query(
        SELECT + " WHERE released_ms IS NULL ORDER BY created_ms", QuarantineStore::row);
  }

  /** Returns the quarantine {@code id}, released or not. */
  public Optional<Quarantine> find(String id) {
    return store.query(SELECT + " WHERE id = ?", QuarantineStore::row, id).stream().findFirst();
  }

  private static Quarantine row(ResultSet rs) throws SQLException {
    return new Quarantine(
        rs.getString(1),
        rs.getInt(2),
        rs.getLong(3),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        split(rs.getString(7)),
        split(rs.getString(8)),
        rs.getLong(9),
        released(rs));
  }

  private static Long released(ResultSet rs) throws SQLException {
    long v = rs.getLong(10);
    return rs.wasNull() ? null : v;
  }

  private static List<String> split(String s) {
    return s == null || s.isEmpty() ? List.of() : Arrays.asList(s.split(","));
  }
}
