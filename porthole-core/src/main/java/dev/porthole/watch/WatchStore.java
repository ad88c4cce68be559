package dev.porthole.watch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.porthole.attribution.Origin;
import dev.porthole.sockets.BindScope;
import dev.porthole.sockets.Protocol;
import dev.porthole.store.Store;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Returns the watch's tables in the store ({@code V3__watch}, origins from {@code V8__origins}):
 * events, and listener history (one row per listener's life). Each snapshot's changes are written
 * in one transaction, so a kill -9 loses at most the snapshot in progress, never half of one.
 */
public final class WatchStore {
  static final ObjectMapper JSON =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private final Store store;

  public WatchStore(Store store) {
    if (store == null) {
      throw new IllegalArgumentException("store: null");
    }
    this.store = store;
  }

  /**
   * Returns one row of listener history: who held a listener, from when until when, and what really
   * owned it ({@code origin}, null when just a process or recorded before V8).
   */
  public record HistoryEntry(
      String protocol,
      String address,
      int port,
      String scope,
      ProcessDetails owner,
      String opened,
      String closed,
      Origin origin) {}

  /** Returns the filter of an events query; null fields match everything. */
  public record EventQuery(Instant since, Set<String> types, Integer port, int limit) {}

  /** Writes one step: closes ended listeners, opens new ones and adds the events, atomically. */
  public List<WatchEvent> record(EventDetector.Step step, Instant time) {
    long now = time.toEpochMilli();
    return store.transaction(
        c -> {
          try (PreparedStatement close =
              c.prepareStatement(
                  "UPDATE listener_history SET closed_ms = ?"
                      + " WHERE closed_ms IS NULL AND protocol = ? AND address = ? AND port = ?")) {
            for (Listener l : step.closed()) {
              close.setLong(1, now);
              close.setString(2, l.protocol().label());
              close.setString(3, l.address());
              close.setInt(4, l.port());
              close.addBatch();
            }
            close.executeBatch();
          }
          try (PreparedStatement open =
              c.prepareStatement(
                  "INSERT INTO listener_history(protocol,"
                      + " address, port, scope, inode, pid, process, exe, user, owner, opened_ms,"
                      + " origin, origin_kind, origin_name)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Listener l : step.opened()) {
              ProcessDetails o = l.owner();
              open.setString(1, l.protocol().label());
              open.setString(2, l.address());
              open.setInt(3, l.port());
              open.setString(4, l.scope().label());
              open.setLong(5, l.inode());
              open.setObject(6, o == null ? null : o.pid());
              open.setString(7, o == null ? null : o.name());
              open.setString(8, o == null ? null : o.exe());
              open.setString(9, o == null ? null : o.user());
              open.setString(10, o == null ? null : json(o));
              open.setLong(11, now);
              Origin origin = l.origin();
              open.setString(12, origin == null ? null : json(origin));
              open.setString(13, origin == null ? null : origin.kind());
              open.setString(14, origin == null ? null : origin.name());
              open.addBatch();
            }
            open.executeBatch();
          }
          return insertEvents(c, step.events());
        });
  }

  /** Adds events outside a snapshot (a rejected policy); returns them with their ids. */
  public List<WatchEvent> add(List<WatchEvent> events) {
    return store.transaction(c -> insertEvents(c, events));
  }

  private List<WatchEvent> insertEvents(java.sql.Connection c, List<WatchEvent> events)
      throws SQLException {
    List<WatchEvent> stored = new ArrayList<>(events.size());
    try (PreparedStatement ins =
        c.prepareStatement(
            "INSERT INTO watch_events(time_ms, type, alert, protocol, address, port, pid, process,"
                + " message, event, origin_kind, origin_name)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            Statement.RETURN_GENERATED_KEYS)) {
      for (WatchEvent e : events) {
        ins.setLong(1, Instant.parse(e.time()).toEpochMilli());
        ins.setString(2, e.type());
        ins.setInt(3, e.alert() ? 1 : 0);
        ins.setString(4, e.protocol());
        ins.setString(5, e.address());
        ins.setInt(6, e.port());
        ins.setObject(7, e.process() == null ? null : e.process().pid());
        ins.setString(8, e.process() == null ? null : e.process().name());
        ins.setString(9, e.message());
        ins.setString(10, json(e));
        ins.setString(11, e.origin() == null ? null : e.origin().kind());
        ins.setString(12, e.origin() == null ? null : e.origin().name());
        ins.executeUpdate();
        try (ResultSet keys = ins.getGeneratedKeys()) {
          stored.add(keys.next() ? e.withId(keys.getLong(1)) : e);
        }
      }
    }
    return stored;
  }

  /** Returns the listeners a previous run left open (closed_ms still null). */
  public List<Listener> openListeners() {
    return store.query(
        "SELECT protocol, address, port, scope, inode, owner, origin FROM listener_history"
            + " WHERE closed_ms IS NULL ORDER BY id",
        rs ->
            new Listener(
                Protocol.valueOf(rs.getString(1).toUpperCase(Locale.ROOT)),
                rs.getString(2),
                rs.getInt(3),
                scope(rs.getString(4)),
                rs.getLong(5),
                owner(rs.getString(6)),
                origin(rs.getString(7))));
  }

  /** Returns who held each protocol/port last ("tcp/8080"), for owner changes across restarts. */
  public Map<String, ProcessDetails> lastOwners() {
    Map<String, ProcessDetails> out = new HashMap<>();
    store.query(
        "SELECT protocol, port, owner FROM listener_history WHERE owner IS NOT NULL"
            + " ORDER BY id",
        rs -> out.put(rs.getString(1) + "/" + rs.getInt(2), owner(rs.getString(3))));
    return out;
  }

  /** Returns the events matching {@code q}, oldest first. */
  public List<WatchEvent> events(EventQuery q) {
    StringBuilder sql = new StringBuilder("SELECT id, event FROM watch_events WHERE time_ms >= ?");
    List<Object> params = new ArrayList<>();
    params.add(q.since() == null ? 0L : q.since().toEpochMilli());
    if (q.types() != null && !q.types().isEmpty()) {
      sql.append(" AND type IN (").append("?, ".repeat(q.types().size() - 1)).append("?)");
      params.addAll(q.types());
    }
    if (q.port() != null) {
      sql.append(" AND port = ?");
      params.add(q.port());
    }
    // The newest `limit` events, printed oldest first.
    String query = "SELECT * FROM (" + sql + " ORDER BY id DESC LIMIT ?) ORDER BY id";
    params.add(q.limit() <= 0 ? Integer.MAX_VALUE : q.limit());
    return store.query(query, rs -> parse(rs.getString(2)).withId(rs.getLong(1)), params.toArray());
  }

  /** Returns who held {@code port} and when, oldest first. */
  public List<HistoryEntry> history(int port) {
    return store.query(
        "SELECT protocol, address, port, scope, owner, opened_ms, closed_ms, origin"
            + " FROM listener_history WHERE port = ? ORDER BY opened_ms, id",
        rs ->
            new HistoryEntry(
                rs.getString(1),
                rs.getString(2),
                rs.getInt(3),
                rs.getString(4),
                owner(rs.getString(5)),
                Instant.ofEpochMilli(rs.getLong(6)).toString(),
                rs.getObject(7) == null ? null : Instant.ofEpochMilli(rs.getLong(7)).toString(),
                origin(rs.getString(8))),
        port);
  }

  /** Deletes events and closed listener rows older than {@code keep}; returns rows deleted. */
  public int prune(Duration keep, Instant now) {
    long cut = now.minus(keep).toEpochMilli();
    return store.transaction(
        c -> {
          int n = 0;
          try (PreparedStatement a =
                  c.prepareStatement("DELETE FROM watch_events WHERE time_ms < ?");
              PreparedStatement b =
                  c.prepareStatement(
                      "DELETE FROM listener_history WHERE closed_ms IS NOT NULL AND closed_ms <"
                          + " ?")) {
            a.setLong(1, cut);
            b.setLong(1, cut);
            n += a.executeUpdate();
            n += b.executeUpdate();
          }
          return n;
        });
  }

  private static BindScope scope(String label) {
    for (BindScope s : BindScope.values()) {
      if (s.label().equals(label)) {
        return s;
      }
    }
    return BindScope.SPECIFIC;
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static ProcessDetails owner(String json) {
    return json == null ? null : read(json, ProcessDetails.class);
  }

  private static Origin origin(String json) {
    return json == null ? null : read(json, Origin.class);
  }

  static WatchEvent parse(String json) {
    return read(json, WatchEvent.class);
  }

  private static <T> T read(String json, Class<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "stored " + type.getSimpleName() + " unreadable: " + e.getOriginalMessage(), e);
    }
  }
}
