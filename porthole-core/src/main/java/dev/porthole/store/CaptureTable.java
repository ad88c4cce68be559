package dev.porthole.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.porthole.capture.ConnectionRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Returns the capture table (migration V4): connection records with their HTTP exchanges, bodies
 * and stream chunks as one JSON document per row, indexed by proxy and time.
 */
public final class CaptureTable {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** Returns what a query asks for; {@code null} or 0 fields match everything. */
  public record Query(String proxy, long sinceMillis, long connection, long afterRow, int limit) {
    /** Returns a query for one proxy's records since {@code sinceMillis}. */
    public static Query of(String proxy, long sinceMillis) {
      return new Query(proxy, sinceMillis, 0, 0, 10_000);
    }

    /** Returns this query with another limit (0: no limit, for {@link #forEach}). */
    public Query withLimit(int limit) {
      return new Query(proxy, sinceMillis, connection, afterRow, limit);
    }
  }

  /** Returns a stored record with its row id (ascending with insertion). */
  public record Row(long row, ConnectionRecord record) {}

  /** Returns the table's totals. */
  public record Totals(long rows, long bytes) {}

  /** Keys read per page by {@link #forEach}: 500 pairs are 8 KiB, the records come one by one. */
  private static final int KEY_PAGE = 500;

  private final Store store;

  public CaptureTable(Store store) {
    this.store = store;
  }

  /** Inserts {@code records} in one transaction. */
  public void insert(List<ConnectionRecord> records) {
    store.transaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO capture_connections(proxy, conn_id, client, kind, end_reason,"
                      + " opened_ms, closed_ms, bytes_up, bytes_down, requests, size, record)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (ConnectionRecord r : records) {
              byte[] json = toJson(r);
              s.setString(1, r.proxy());
              s.setLong(2, r.id());
              s.setString(3, r.client());
              s.setString(4, r.kind());
              s.setString(5, r.end().label());
              s.setLong(6, r.openedMillis());
              s.setLong(7, r.closedMillis());
              s.setLong(8, r.bytesUp());
              s.setLong(9, r.bytesDown());
              s.setInt(10, (int) Math.min(Integer.MAX_VALUE, r.exchangesSeen()));
              s.setLong(11, json.length);
              s.setBytes(12, json);
              s.addBatch();
            }
            s.executeBatch();
          }
          return null;
        });
  }

  /** Returns the records matching {@code q}, oldest first. */
  public List<Row> query(Query q) {
    StringBuilder sql = new StringBuilder("SELECT id, record FROM capture_connections WHERE 1=1");
    List<Object> args = new ArrayList<>();
    filter(q, sql, args);
    if (q.afterRow() > 0) {
      sql.append(" AND id > ?");
      args.add(q.afterRow());
    }
    sql.append(" ORDER BY id LIMIT ?");
    args.add(Math.max(1, q.limit()));
    return store.query(
        sql.toString(), rs -> new Row(rs.getLong(1), fromJson(rs.getBytes(2))), args.toArray());
  }

  /** Returns the order in which {@link #forEach} hands out rows. */
  public enum Order {
    /** By row id: the order the records were stored (about the order they closed). */
    STORED,
    /** By the time the connection opened, then row id. */
    OPENED
  }

  /**
   * Hands each record matching {@code q} (its limit ignored when 0) to {@code each}, in {@code
   * order}, holding one record in memory at a time: keys are read a page at a time, each record by
   * its id, and the store's lock is held only for each read, never while {@code each} runs (a slow
   * reader must not stall the writer). A row pruned meanwhile is skipped.
   */
  public void forEach(Query q, Order order, Consumer<Row> each) {
    long afterKey = Long.MIN_VALUE;
    long afterId = Math.max(0, q.afterRow());
    long left = q.limit() <= 0 ? Long.MAX_VALUE : q.limit();
    while (left > 0) {
      List<long[]> keys = keys(q, order, afterKey, afterId, (int) Math.min(left, KEY_PAGE));
      for (long[] k : keys) {
        List<byte[]> json =
            store.query(
                "SELECT record FROM capture_connections WHERE id = ?", rs -> rs.getBytes(1), k[1]);
        if (!json.isEmpty()) {
          each.accept(new Row(k[1], fromJson(json.getFirst())));
        }
        left--;
      }
      if (keys.size() < KEY_PAGE || left == 0) {
        return;
      }
      afterKey = keys.getLast()[0];
      afterId = keys.getLast()[1];
    }
  }

  /** Returns up to {@code n} (sort key, id) pairs after ({@code afterKey}, {@code afterId}). */
  private List<long[]> keys(Query q, Order order, long afterKey, long afterId, int n) {
    String key = order == Order.OPENED ? "opened_ms" : "id";
    StringBuilder sql =
        new StringBuilder("SELECT " + key + ", id FROM capture_connections WHERE 1=1");
    List<Object> args = new ArrayList<>();
    filter(q, sql, args);
    if (order == Order.OPENED) {
      sql.append(" AND (opened_ms > ? OR (opened_ms = ? AND id > ?))");
      args.add(afterKey);
      args.add(afterKey);
    } else {
      sql.append(" AND id > ?");
    }
    args.add(afterId);
    sql.append(" ORDER BY ").append(order == Order.OPENED ? "opened_ms, id" : "id");
    sql.append(" LIMIT ?");
    args.add(n);
    return store.query(
        sql.toString(), rs -> new long[] {rs.getLong(1), rs.getLong(2)}, args.toArray());
  }

  private static void filter(Query q, StringBuilder sql, List<Object> args) {
    if (q.proxy() != null) {
      sql.append(" AND proxy = ?");
      args.add(q.proxy());
    }
    if (q.sinceMillis() > 0) {
      sql.append(" AND closed_ms >= ?");
      args.add(q.sinceMillis());
    }
    if (q.connection() > 0) {
      sql.append(" AND conn_id = ?");
      args.add(q.connection());
    }
  }

  /** Returns the number of rows and the bytes of their records. */
  public Totals totals() {
    return store
        .query(
            "SELECT count(*), coalesce(sum(size), 0) FROM capture_connections",
            rs -> new Totals(rs.getLong(1), rs.getLong(2)))
        .getFirst();
  }

  /**
   * Deletes records that closed before {@code beforeMillis}, then the oldest until the rest take at
   * most {@code maxBytes}; returns how many rows went.
   */
  public int prune(long beforeMillis, long maxBytes) {
    return store.transaction(
        c -> {
          int n =
              store.execute("DELETE FROM capture_connections WHERE closed_ms < ?", beforeMillis);
          long total = totals().bytes();
          if (total > maxBytes) {
            // The newest rows whose running total stays within maxBytes survive.
            n +=
                store.execute(
                    "DELETE FROM capture_connections WHERE id NOT IN (SELECT id FROM (SELECT id,"
                        + " sum(size) OVER (ORDER BY id DESC) AS running FROM capture_connections)"
                        + " WHERE running <= ?)",
                    maxBytes);
          }
          return n;
        });
  }

  static byte[] toJson(ConnectionRecord r) {
    try {
      return JSON.writeValueAsBytes(r);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("capture record not serializable: " + e.getMessage(), e);
    }
  }

  static ConnectionRecord fromJson(byte[] json) {
    try {
      return JSON.readValue(json, ConnectionRecord.class);
    } catch (IOException e) {
      throw new UncheckedIOException("bad capture record: " + e.getMessage(), e);
    }
  }
}
