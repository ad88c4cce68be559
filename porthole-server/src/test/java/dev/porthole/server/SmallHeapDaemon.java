package dev.porthole.server;

import dev.porthole.capture.Chunk;
import dev.porthole.capture.ConnectionRecord;
import dev.porthole.capture.EndReason;
import dev.porthole.capture.HttpExchange;
import dev.porthole.capture.Side;
import dev.porthole.http1.Header;
import dev.porthole.proxy.ProxyRegistry;
import dev.porthole.store.CaptureTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A daemon for {@link CaptureExportStreamTest}, run in its own JVM with a small heap: it stores
 * {@code N} records of about 512 KiB each (far more than the heap in all), then proxy {@code
 * broken}'s records with an unreadable one last, then proxy {@code overlap}'s connections that all
 * overlap, prints its URL and serves until killed.
 */
final class SmallHeapDaemon {
  static final int BODY = 128 * 1024;
  /** Proxy {@code overlap}'s records: about 60 MiB as entries waiting at once, past the heap. */
  static final int OVERLAPPING = 120;

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[1]);
    Daemon daemon = Daemon.start(DaemonConfig.local(0, Path.of(args[0])));
    for (String name : List.of("web", "broken", "overlap")) {
      daemon
          .services()
          .proxies()
          .create(new ProxyRegistry.NewProxy(name, "127.0.0.1:0", "127.0.0.1:9", false, null));
    }
    CaptureTable table = new CaptureTable(daemon.services().store());
    byte[] body = new byte[BODY];
    Arrays.fill(body, (byte) 'x');
    long t0 = System.currentTimeMillis() - 60_000;
    for (int i = 0; i < n; i += 10) {
      List<ConnectionRecord> batch = new ArrayList<>();
      for (int j = i; j < Math.min(n, i + 10); j++) {
        // Stored in reverse opening order: the exports must sort, not follow the row order.
        batch.add(record("web", j + 1, t0 + (n - j) * 10L, body));
      }
      table.insert(batch);
    }
    for (int j = 0; j < 4; j++) {
      table.insert(List.of(record("broken", j + 1, t0 + j, body)));
    }
    // Connections that all overlap: each opens 1 ms after the one before and sends its request an
    // hour later, the later-opened ones first. No entry can be written before the last opened.
    for (int j = 0; j < OVERLAPPING; j++) {
      table.insert(
          List.of(record("overlap", j + 1, t0 + j, 3_600_000_000L - j * 10_000L, body)));
    }
    daemon
        .services()
        .store()
        .execute(
            "INSERT INTO capture_connections(proxy, conn_id, client, kind, end_reason, opened_ms,"
                + " closed_ms, bytes_up, bytes_down, requests, size, record)"
                + " VALUES ('broken', 99, 'c', 'tcp', 'fin', ?, ?, 0, 0, 0, 8, X'7B6E6F7421')",
            t0 + 100,
            t0 + 200);
    System.out.println(daemon.url());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }

  static ConnectionRecord record(String proxy, long id, long opened, byte[] body) {
    return record(proxy, id, opened, 5, body);
  }

  /** Returns a record whose one exchange starts {@code start} µs after the connection opened. */
  static ConnectionRecord record(String proxy, long id, long opened, long start, byte[] body) {
    HttpExchange x =
        new HttpExchange(
            "POST",
            "/upload/" + id,
            "HTTP/1.1",
            List.of(new Header("Host", "x"), new Header("Content-Type", "text/plain")),
            body.length,
            body,
            200,
            "OK",
            List.of(new Header("Content-Type", "application/octet-stream")),
            body.length,
            body,
            false,
            start,
            start + 1,
            start + 65,
            start + 75);
    return new ConnectionRecord(
        id,
        proxy,
        "tcp",
        "127.0.0.1:5000",
        "127.0.0.1:6000",
        "127.0.0.1:7000",
        opened,
        3,
        5,
        opened + start / 1000 + 1,
        body.length,
        body.length,
        EndReason.FIN,
        "http",
        null,
        List.of(x),
        List.of(new Chunk(Side.CLIENT, 5, body), new Chunk(Side.SERVER, 70, body)),
        true,
        List.of(),
        null,
        1);
  }
}
