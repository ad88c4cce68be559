package dev.porthole.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficStatsTest {
  static CaptureListener.Request request(String method, String target, int status, long micros) {
    HttpExchange x =
        new HttpExchange(
            method,
            target,
            "HTTP/1.1",
            List.of(),
            10,
            new byte[0],
            status,
            "",
            List.of(),
            90,
            new byte[0],
            false,
            0,
            1,
            2,
            status == 0 ? -1 : micros);
    return new CaptureListener.Request("web", 1, "127.0.0.1:1", System.currentTimeMillis(), x);
  }

  @Test
  void percentilesErrorsAndBytesArePerProxyAndPerRequestLine() {
    TrafficStats stats = new TrafficStats();
    for (int i = 1; i <= 100; i++) {
      stats.request(request("GET", "/a?page=" + i, 200, i * 1000L));
    }
    stats.request(request("POST", "/b", 503, 5000));
    stats.request(request("POST", "/b", 0, 0));
    TrafficStats.Snapshot s = stats.snapshot("web");
    assertThat(s.total().requests()).isEqualTo(102);
    assertThat(s.total().errors()).isEqualTo(2);
    assertThat(s.routes()).extracting(TrafficStats.Line::key).containsExactly("GET /a", "POST /b");
    TrafficStats.Line a = s.routes().getFirst();
    assertThat(a.p50Millis()).isBetween(49.0, 51.0);
    assertThat(a.p99Millis()).isBetween(98.0, 100.5);
    assertThat(a.maxMillis()).isBetween(99.5, 100.5);
    assertThat(a.bytes()).isEqualTo(100 * 100);
    assertThat(a.requestsPerSecond()).isGreaterThan(0);
    assertThat(s.routes().get(1).errorRate()).isEqualTo(1.0);
    assertThat(stats.snapshot("other")).isNull();
  }

  @Test
  void requestLinesBeyondTheLimitCountAsOtherAndKnownLinesKeepCounting() {
    TrafficStats stats = new TrafficStats();
    int extra = 50;
    for (int i = 0; i < TrafficStats.MAX_ROUTES + extra; i++) {
      stats.request(request("GET", "/p" + i, 200, 1000));
    }
    stats.request(request("GET", "/p0?again=1", 200, 1000));
    stats.request(request("HEAD", "/p0", 200, 1000));
    TrafficStats.Snapshot s = stats.snapshot("web");
    assertThat(s.routes()).hasSize(TrafficStats.MAX_ROUTES + 1);
    assertThat(s.routes())
        .filteredOn(l -> l.key().equals("other"))
        .singleElement()
        .extracting(TrafficStats.Line::requests)
        .isEqualTo((long) extra + 1);
    assertThat(s.routes())
        .filteredOn(l -> l.key().equals("GET /p0"))
        .singleElement()
        .extracting(TrafficStats.Line::requests)
        .isEqualTo(2L);
    assertThat(s.total().requests()).isEqualTo(TrafficStats.MAX_ROUTES + extra + 2L);
  }
}
