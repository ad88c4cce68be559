package dev.porthole.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteConnectionConfig;

/**
 * Returns porthole's SQLite database: one file, WAL mode, schema brought up to date on open.
 *
 * <p>One connection serves every caller, under a lock: SQLite has one writer anyway, and the
 * daemon's writes are small. Migrations ({@link Migrations}) run in order, each in its own
 * transaction, and are recorded in {@code schema_version}.
 *
 * <pre>{@code
 * try (Store store = Store.open(dataDir.resolve(DataDir.DATABASE))) {
 *   store.execute("INSERT INTO meta(key, value) VALUES (?, ?)", "k", "v");
 *   List<String> values = store.query("SELECT value FROM meta", rs -> rs.getString(1));
 * }
 * }</pre>
 */
public final class Store implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Store.class);

  /** Returns a value read from the current row of a result set. */
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet row) throws SQLException;
  }

  /** Returns the result of work done with the connection. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private final String location;
  private final Connection connection;
  private final ReentrantLock lock = new ReentrantLock();
  private boolean closed;

  private Store(String location, Connection connection) {
    this.location = location;
    this.connection = connection;
  }

  /** Returns the store in {@code file}, created if missing, migrated with the classpath's steps. */
  public static Store open(Path file) {
    return open(file, Migrations.fromClasspath());
  }

  /** Returns the store in {@code file} migrated with the given steps (tests pass a prefix). */
  public static Store open(Path file, List<Migration> migrations) {
    boolean fresh = !java.nio.file.Files.exists(file);
    try {
      OwnerOnly.database(file, true);
    } catch (java.io.IOException e) {
      throw new StoreException("cannot make " + file + " owner-only (0600): " + e.getMessage(), e);
    }
    Store store =
        open(file.toAbsolutePath().toString(), "jdbc:sqlite:" + file.toAbsolutePath(), migrations);
    try {
      OwnerOnly.database(file, !fresh); // and the WAL and SHM files SQLite has just created
    } catch (java.io.IOException e) {
      store.close();
      throw new StoreException("cannot make " + file + " owner-only (0600): " + e.getMessage(), e);
    }
    return store;
  }

  /** Returns a store that lives in memory only: for a Toxiproxy drop-in that forgets on exit. */
  public static Store inMemory() {
    return open(":memory:", "jdbc:sqlite::memory:", Migrations.fromClasspath());
  }

  private static Store open(String location, String url, List<Migration> migrations) {
    Connection c;
    try {
      c = DriverManager.getConnection(url);
      try (Statement s = c.createStatement()) {
        // busy_timeout first: switching to WAL needs a lock another process may hold right now.
        s.execute("PRAGMA busy_timeout=5000");
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA foreign_keys=ON");
        s.execute("PRAGMA synchronous=NORMAL");
      }
    } catch (SQLException e) {
      throw new StoreException("cannot open " + location + ": " + e.getMessage(), e);
    }
    Store store = new Store(location, c);
    try {
      store.migrate(migrations);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    return store;
  }

  /** Returns the highest schema version applied. */
  public int schemaVersion() {
    return with(
        c -> {
          try (Statement s = c.createStatement();
              ResultSet rs =
                  s.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
          }
        });
  }

  private void migrate(List<Migration> migrations) {
    // Under the write lock from the start: two processes opening a new file at once would
    // otherwise both read version 0 and both run V1.
    immediateTransaction(
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute(
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY,"
                    + " name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT (datetime('now')))");
          }
          // Every step not yet recorded is applied, not only those above the highest: a
          // database made on a branch that numbered its step V6 still gets V4 and V5 later.
          Set<Integer> applied =
              new HashSet<>(query("SELECT version FROM schema_version", rs -> rs.getInt(1)));
          for (Migration m : migrations) {
            if (!applied.contains(m.version())) {
              apply(m);
            }
          }
          return null;
        });
  }

  private void apply(Migration m) {
    try {
      transaction(
          c -> {
            try (Statement s = c.createStatement()) {
              for (String sql : m.statements()) {
                s.execute(sql);
              }
            }
            execute(
                "INSERT INTO schema_version(version, name) VALUES (?, ?)", m.version(), m.name());
            return null;
          });
    } catch (StoreException e) {
      throw new StoreException(
          "cannot migrate "
              + location
              + " to V"
              + m.version()
              + "__"
              + m.name()
              + ": "
              + e.getMessage(),
          e);
    }
    LOG.debug("store {}: applied V{}__{}", location, m.version(), m.name());
  }

  /** Runs {@code work} in one transaction: all of it is applied, or none when it throws. */
  public <T> T transaction(Work<T> work) {
    return with(
        c -> {
          boolean auto = c.getAutoCommit();
          if (!auto) {
            return work.run(c); // nested: the outer transaction decides
          }
          c.setAutoCommit(false);
          try {
            T result = work.run(c);
            c.commit();
            return result;
          } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
          } finally {
            c.setAutoCommit(true);
          }
        });
  }

  /**
   * Runs {@code work} in one transaction that takes the write lock when it begins ({@code BEGIN
   * IMMEDIATE}): for read-then-write work that other processes do at the same time, such as handing
   * out a port, where a deferred transaction would let two of them read the same state. Waits for
   * the lock up to the busy timeout (5 s).
   */
  public <T> T immediateTransaction(Work<T> work) {
    return with(
        c -> {
          if (!c.getAutoCommit()) {
            return work.run(c); // nested: the outer transaction already holds what it holds
          }
          SQLiteConnectionConfig config = c.unwrap(SQLiteConnection.class).getConnectionConfig();
          config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
          try {
            return transaction(work);
          } finally {
            config.setTransactionMode(SQLiteConfig.TransactionMode.DEFERRED);
          }
        });
  }

  /** Runs one statement with positional parameters; returns the number of rows changed. */
  public int execute(String sql, Object... params) {
    return with(
        c -> {
          try (PreparedStatement ps = prepare(c, sql, params)) {
            return ps.executeUpdate();
          }
        });
  }

  /** Returns the rows of a query, each mapped by {@code mapper}. */
  public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
    return with(
        c -> {
          try (PreparedStatement ps = prepare(c, sql, params);
              ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
              out.add(mapper.map(rs));
            }
            return out;
          }
        });
  }

  /** Runs {@code work} with the connection under the store's lock (for batches and cursors). */
  public <T> T with(Work<T> work) {
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("store " + location + " is closed");
      }
      return work.run(connection);
    } catch (SQLException e) {
      throw new StoreException(location + ": " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  private static PreparedStatement prepare(Connection c, String sql, Object... params)
      throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    for (int i = 0; i < params.length; i++) {
      ps.setObject(i + 1, params[i]);
    }
    return ps;
  }

  /** Returns where the data lives: the file path, or {@code :memory:}. */
  public String location() {
    return location;
  }

  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      connection.close();
    } catch (SQLException e) {
      LOG.warn("store {}: close failed: {}", location, e.getMessage());
    } finally {
      lock.unlock();
    }
  }
}
