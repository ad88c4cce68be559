package dev.porthole.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.http1.Header;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A HAR log whose connections all overlap (every exchange starts after the last connection
 * opened, so none can be written before the end) keeps at most its budget in memory: the rest
 * goes to sorted runs on disk, and the log is the same bytes as one that held everything.
 */
class HarSpillTest {
  @TempDir Path dir;

  /** Record j opens at j ms; its exchanges start 10 s later, in an order unlike the ids. */
  static List<ConnectionRecord> overlapping(int n) {
    List<ConnectionRecord> records = new ArrayList<>();
    for (int j = 0; j < n; j++) {
      List<HttpExchange> exchanges = new ArrayList<>();
      for (int k = 0; k < 3; k++) {
        long start = 10_000_000L + ((j * 7919L + k * 104_729L) % 5_000) * 1000 - j * 1000L;
        exchanges.add(exchange("/r" + j + "/" + k, start, ("body " + j + " " + k).repeat(50)));
      }
      records.add(record(j + 1, 1_700_000_000_000L + j, exchanges));
    }
    return records;
  }

  static HttpExchange exchange(String target, long startMicros, String body) {
    byte[] b = body.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    return new HttpExchange(
        "POST",
        target,
        "HTTP/1.1",
        List.of(new Header("Host", "x"), new Header("Content-Type", "text/plain")),
        b.length,
        b,
        200,
        "OK",
        List.of(new Header("Content-Type", "application/octet-stream")),
        b.length,
        b,
        false,
        startMicros,
        startMicros + 1,
        startMicros + 70,
        startMicros + 80);
  }

  static ConnectionRecord record(long id, long opened, List<HttpExchange> exchanges) {
    return new ConnectionRecord(
        id,
        "web",
        "tcp",
        "127.0.0.1:5000",
        "127.0.0.1:6000",
        "127.0.0.1:7000",
        opened,
        3,
        5,
        opened + 20_000,
        100,
        100,
        EndReason.FIN,
        "http",
        null,
        exchanges,
        List.of(),
        true,
        List.of(),
        null,
        exchanges.size());
  }

  /** Returns the log of {@code records} (in opening order) with {@code budget} bytes of memory. */
  private byte[] har(List<ConnectionRecord> records, long budget, int[] spills) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    HarWriter.Log log = new HarWriter("test").open(out, dir, budget);
    try (log) {
      for (int i = 0; i < records.size(); i++) {
        log.add(i, records.get(i));
      }
      spills[0] = log.spills();
    }
    return out.toByteArray();
  }

  @Test
  void overlappingConnectionsSpillPastTheBudgetAndGiveTheSameLog() throws Exception {
    List<ConnectionRecord> records = overlapping(300);
    int[] spills = new int[1];
    byte[] whole = har(records, Long.MAX_VALUE, spills);
    assertThat(spills[0]).isZero();
    for (long budget : new long[] {0, 20_000, 400_000}) {
      byte[] bounded = har(records, budget, spills);
      assertThat(spills[0]).as("runs at budget " + budget).isGreaterThan(0);
      assertThat(new String(bounded)).as("budget " + budget).isEqualTo(new String(whole));
    }
    try (var left = Files.list(dir)) {
      assertThat(left).as("run files are deleted").isEmpty();
    }
  }

  @Test
  void theEntriesComeOutInTheOrderTheyStarted() throws Exception {
    byte[] har = har(overlapping(50), 0, new int[1]);
    var entries =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(har).at("/log/entries");
    assertThat(entries).hasSize(150);
    List<java.time.Instant> started = new ArrayList<>();
    entries.forEach(e -> started.add(java.time.Instant.parse(e.path("startedDateTime").asText())));
    assertThat(started).isSorted();
  }
}
