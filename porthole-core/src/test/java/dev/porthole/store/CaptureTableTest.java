package dev.porthole.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.capture.Chunk;
import dev.porthole.capture.ConnectionRecord;
import dev.porthole.capture.EndReason;
import dev.porthole.capture.Held;
import dev.porthole.capture.HttpExchange;
import dev.porthole.capture.Side;
import dev.porthole.capture.TlsHello;
import dev.porthole.capture.WebSocketFrame;
import dev.porthole.http1.Header;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class CaptureTableTest {
  @TempDir Path dir;

  static ConnectionRecord record(String proxy, long id, long closedMillis, int payload) {
    HttpExchange x =
        new HttpExchange(
            "GET",
            "/a?b=1",
            "HTTP/1.1",
            List.of(new Header("Host", "x")),
            0,
            new byte[0],
            200,
            "OK",
            List.of(new Header("Content-Length", "2")),
            2,
            "ok".getBytes(),
            false,
            5,
            6,
            70,
            80);
    return new ConnectionRecord(
        id,
        proxy,
        "tcp",
        "127.0.0.1:5000",
        "127.0.0.1:6000",
        "127.0.0.1:7000",
        closedMillis - 10,
        3,
        5,
        closedMillis,
        40,
        41,
        EndReason.FIN,
        "http",
        new TlsHello("a.test", List.of("h2")),
        List.of(x),
        List.of(
            new Chunk(Side.CLIENT, 5, new byte[payload]),
            new Chunk(Side.SERVER, 6, new byte[] {1, 2}, 4096)), // after 4096 spliced bytes
        true,
        List.of(new WebSocketFrame(Side.SERVER, 9, 1, true, false, 2, true, "hi")),
        null,
        1);
  }

  @Test
  void recordsComeBackAsTheyWentIn() {
    try (Store store = Store.open(dir.resolve("s.db"))) {
      assertThat(store.schemaVersion()).isGreaterThanOrEqualTo(4);
      CaptureTable table = new CaptureTable(store);
      ConnectionRecord r = record("web", 7, 1_000_000, 16);
      table.insert(List.of(r, record("db", 1, 1_000_000, 1)));
      List<CaptureTable.Row> rows = table.query(CaptureTable.Query.of("web", 0));
      assertThat(rows).hasSize(1);
      ConnectionRecord back = rows.getFirst().record();
      assertThat(back).usingRecursiveComparison().isEqualTo(r);
      assertThat(table.query(new CaptureTable.Query(null, 0, 1, 0, 10))).hasSize(1);
      assertThat(table.query(new CaptureTable.Query(null, 0, 0, rows.getFirst().row(), 10)))
          .extracting(row -> row.record().proxy())
          .containsExactly("db");
    }
  }

  @Test
  void forEachHandsOutRecordsInOpeningOrderAcrossPagesWithoutHoldingTheStore() throws Exception {
    try (Store store = Store.open(dir.resolve("s.db"))) {
      CaptureTable table = new CaptureTable(store);
      List<ConnectionRecord> batch = new java.util.ArrayList<>();
      // Stored newest-opened first, so opening order is the reverse of row order; 1,200 > a page.
      for (int i = 0; i < 1200; i++) {
        batch.add(record("web", i + 1, 10_000_000 - i * 10L, 1));
      }
      batch.add(record("db", 5000, 5, 1));
      table.insert(batch);
      List<Long> opened = new java.util.ArrayList<>();
      List<Long> stored = new java.util.ArrayList<>();
      table.forEach(
          CaptureTable.Query.of("web", 0).withLimit(0),
          CaptureTable.Order.OPENED,
          row -> opened.add(row.record().id()));
      table.forEach(
          new CaptureTable.Query("web", 0, 0, 0, 700),
          CaptureTable.Order.STORED,
          row -> stored.add(row.record().id()));
      assertThat(opened).hasSize(1200).first().isEqualTo(1200L);
      assertThat(opened).isSortedAccordingTo(java.util.Comparator.reverseOrder());
      assertThat(stored).hasSize(700).isSorted().first().isEqualTo(1L);
      // While a reader holds a record, another thread can still write.
      java.util.concurrent.atomic.AtomicBoolean wrote =
          new java.util.concurrent.atomic.AtomicBoolean();
      table.forEach(
          new CaptureTable.Query("db", 0, 0, 0, 0),
          CaptureTable.Order.OPENED,
          row -> {
            Thread t = new Thread(() -> table.insert(List.of(record("x", 1, 1, 1))));
            t.start();
            try {
              t.join(10_000);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            wrote.set(!t.isAlive());
          });
      assertThat(wrote).isTrue();
    }
  }

  @Test
  void retentionDeletesByAgeThenTheOldestBeyondTheSize() {
    try (Store store = Store.open(dir.resolve("s.db"))) {
      CaptureTable table = new CaptureTable(store);
      long now = System.currentTimeMillis();
      table.insert(List.of(record("p", 1, now - 100_000, 10)));
      for (int i = 2; i <= 11; i++) {
        table.insert(List.of(record("p", i, now, 1000)));
      }
      long each = table.totals().bytes() / 11;
      int gone = table.prune(now - 50_000, each * 5);
      assertThat(gone).isGreaterThanOrEqualTo(6);
      CaptureTable.Totals left = table.totals();
      assertThat(left.bytes()).isLessThanOrEqualTo(each * 5 + 100);
      assertThat(table.query(CaptureTable.Query.of("p", 0)))
          .extracting(row -> row.record().id())
          .endsWith(11L)
          .doesNotContain(1L, 2L);
    }
  }

  @Test
  void aWriterThatFallsBehindDropsAndCountsInsteadOfWaiting() throws Exception {
    try (Store store = Store.open(dir.resolve("s.db"))) {
      CaptureTable table = new CaptureTable(store);
      try (CaptureWriter writer =
          new CaptureWriter(table, CaptureWriter.Retention.defaults(), 2, Duration.ofHours(1))) {
        // Hold the store's lock: the writer's thread blocks on its first insert, the queue fills.
        store.with(
            c -> {
              for (int i = 1; i <= 50; i++) {
                writer.connection(record("p", i, System.currentTimeMillis(), 1));
              }
              return null;
            });
        writer.flush();
        assertThat(writer.dropped()).isGreaterThanOrEqualTo(40);
        assertThat(writer.dropped() + writer.written()).isEqualTo(50);
        assertThat(table.totals().rows()).isEqualTo(writer.written());
      }
    }
  }

  @Test
  void recordsBeyondTheQueuedBytesAreDroppedAndCountedNotQueued() throws Exception {
    try (Store store = Store.open(dir.resolve("s.db"))) {
      CaptureTable table = new CaptureTable(store);
      ConnectionRecord small = record("p", 1, System.currentTimeMillis(), 10);
      ConnectionRecord big = record("p", 2, System.currentTimeMillis(), 64 * 1024);
      long bound = Held.of(small) * 3;
      try (CaptureWriter writer =
          new CaptureWriter(
              table, CaptureWriter.Retention.defaults(), 100, bound, Duration.ofHours(1))) {
        writer.connection(big);
        writer.connection(small);
        writer.flush();
        assertThat(writer.dropped()).isEqualTo(1);
        assertThat(writer.written()).isEqualTo(1);
        assertThat(table.query(CaptureTable.Query.of("p", 0)))
            .extracting(row -> row.record().id())
            .containsExactly(1L);
      }
    }
  }
}
