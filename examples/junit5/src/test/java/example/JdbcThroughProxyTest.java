package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porthole.junit5.ProxyTo;
import dev.porthole.testing.LocalProxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** JDBC against a real PostgreSQL through a porthole proxy: latency, reset, bandwidth. */
class JdbcThroughProxyTest {
  static PostgresServer pg;

  @ProxyTo(field = "pg", requireTraffic = true)
  LocalProxy db;

  @BeforeAll
  static void startPostgres() throws Exception {
    pg = PostgresServer.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    pg.close();
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(PostgresServer.url(db.hostPort()));
  }

  static long millis(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  @Test
  void queriesGoThroughTheProxy() throws SQLException {
    try (Connection c = connect();
        ResultSet r = c.createStatement().executeQuery("select 6 * 7")) {
      r.next();
      assertEquals(42, r.getInt(1));
    }
    assertTrue(db.counters().bytesDownstream() > 0);
  }

  @Test
  void latencySlowsEveryQuery() throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      db.toxics().latency(Duration.ofMillis(300));
      long start = System.nanoTime();
      s.executeQuery("select 1").close();
      long took = millis(start);
      assertTrue(took >= 280, "query took " + took + " ms through 300 ms of latency");
    }
  }

  @Test
  void aResetConnectionFailsTheQueryAndTheNextConnectionWorks() throws SQLException {
    try (Connection c = connect()) {
      db.toxics().resetPeer(Duration.ZERO).upstream();
      SQLException e =
          assertThrows(SQLException.class, () -> c.createStatement().executeQuery("select 1"));
      assertTrue(e.getSQLState().startsWith("08"), "a connection error: " + e.getSQLState());
    }
    db.toxics().removeAll();
    try (Connection again = connect()) {
      assertTrue(again.isValid(5));
    }
  }

  @Test
  void littleBandwidthSlowsALargeResult() throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      db.toxics().bandwidth(200); // 200 KB/s
      long start = System.nanoTime();
      try (ResultSet r = s.executeQuery("select repeat('x', 200000)")) {
        r.next();
        assertEquals(200_000, r.getString(1).length());
      }
      long took = millis(start);
      assertTrue(took >= 700, "200 kB at 200 KB/s took " + took + " ms");
    }
  }

  @Test
  void aQueryTimeoutFiresWhenTheDatabaseIsCutOff() throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      db.cut();
      c.setNetworkTimeout(Runnable::run, 500);
      SQLException e = assertThrows(SQLException.class, () -> s.executeQuery("select 1"));
      assertTrue(e.getSQLState().startsWith("08"), "a connection error: " + e.getSQLState());
    } finally {
      db.restore();
    }
  }
}
