package dev.porthole.capture;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;

/**
 * Returns live traffic statistics per proxy and per {@code METHOD path}: requests per second, error
 * rate (5xx and unanswered requests), latency percentiles (HdrHistogram, microseconds, request
 * start to response end) and bytes per second. Fed by the recorder's decoder thread; read by the
 * API at any time.
 */
public final class TrafficStats implements CaptureListener {
  /** Returns how many distinct request lines are tracked per proxy; the rest count as "other". */
  public static final int MAX_ROUTES = 200;

  /**
   * Returns one line of statistics.
   *
   * @param key "*" for the whole proxy, else {@code METHOD path}
   * @param requests requests seen since the daemon started
   * @param errors of them, answered 5xx or not answered
   * @param requestsPerSecond mean over the last minute
   * @param errorRate errors / requests (0 when none)
   * @param p50Millis median latency
   * @param p90Millis 90th percentile
   * @param p99Millis 99th percentile
   * @param maxMillis the slowest
   * @param bytes request and response bytes carried
   * @param bytesPerSecond mean over the last minute
   */
  public record Line(
      String key,
      long requests,
      long errors,
      double requestsPerSecond,
      double errorRate,
      double p50Millis,
      double p90Millis,
      double p99Millis,
      double maxMillis,
      long bytes,
      double bytesPerSecond) {}

  /** Returns a proxy's statistics: connections, the whole proxy, and each request line. */
  public record Snapshot(String proxy, long connections, Line total, List<Line> routes) {}

  private final Map<String, ProxyStats> proxies = new ConcurrentHashMap<>();

  @Override
  public void request(Request r) {
    HttpExchange x = r.exchange();
    long bytes = x.requestBodySize() + x.responseBodySize();
    boolean error = x.status() == 0 || x.status() >= 500 || x.endMicros() < 0;
    long micros = x.endMicros() < 0 ? -1 : Math.max(0, x.endMicros() - x.startMicros());
    proxy(r.proxy()).request(x.method(), x.path(), micros, error, bytes);
  }

  @Override
  public void connection(ConnectionRecord record) {
    proxy(record.proxy())
        .connection(record.exchanges().isEmpty() ? record.bytesUp() + record.bytesDown() : 0);
  }

  private ProxyStats proxy(String name) {
    return proxies.computeIfAbsent(name, n -> new ProxyStats());
  }

  /** Returns the statistics of {@code proxy}, or null when it carried nothing yet. */
  public Snapshot snapshot(String proxy) {
    ProxyStats s = proxies.get(proxy);
    return s == null ? null : s.snapshot(proxy, System.currentTimeMillis());
  }

  /** Returns the names of the proxies with statistics. */
  public List<String> proxies() {
    return proxies.keySet().stream().sorted().toList();
  }

  /** Forgets a proxy's statistics (when it is deleted). */
  public void forget(String proxy) {
    proxies.remove(proxy);
  }

  /** Returns one key's counters; guarded by its proxy's lock. */
  private static final class Counters {
    final Histogram latency = new Histogram(3_600_000_000L, 2);
    final RateWindow window;
    long requests;
    long errors;
    long bytes;

    Counters(long now) {
      window = new RateWindow(2, now);
    }

    void add(long now, long micros, boolean error, long n) {
      requests++;
      errors += error ? 1 : 0;
      bytes += n;
      if (micros >= 0) {
        latency.recordValue(Math.min(micros, latency.getHighestTrackableValue()));
      }
      window.add(now, 0, 1);
      window.add(now, 1, n);
    }

    Line line(String key, long now) {
      return new Line(
          key,
          requests,
          errors,
          window.rate(now, 0),
          requests == 0 ? 0 : (double) errors / requests,
          ms(latency.getValueAtPercentile(50)),
          ms(latency.getValueAtPercentile(90)),
          ms(latency.getValueAtPercentile(99)),
          ms(latency.getMaxValue()),
          bytes,
          window.rate(now, 1));
    }

    private static double ms(long micros) {
      return micros / 1000.0;
    }
  }

  private static final class ProxyStats {
    private final Counters total = new Counters(System.currentTimeMillis());
    private final Map<String, Counters> routes = new LinkedHashMap<>();
    // METHOD -> path -> the line's counters, for the lines in routes only: a request finds its
    // line without building its key (a string per request was a tenth of the decoder's time).
    private final Map<String, Map<String, Counters>> byMethod = new HashMap<>();
    private long connections;

    synchronized void request(String method, String path, long micros, boolean error, long n) {
      long now = System.currentTimeMillis();
      total.add(now, micros, error, n);
      Map<String, Counters> paths = byMethod.get(method);
      Counters c = paths == null ? null : paths.get(path);
      if (c == null) {
        c = route(method, path, now);
      }
      c.add(now, micros, error, n);
    }

    private Counters route(String method, String path, long now) {
      String key = method + " " + path;
      if (!routes.containsKey(key) && routes.size() >= MAX_ROUTES) {
        return routes.computeIfAbsent("other", x -> new Counters(now));
      }
      Counters c = routes.computeIfAbsent(key, x -> new Counters(now));
      byMethod.computeIfAbsent(method, m -> new HashMap<>()).put(path, c);
      return c;
    }

    synchronized void connection(long rawBytes) {
      connections++;
      if (rawBytes > 0) {
        total.bytes += rawBytes;
        total.window.add(System.currentTimeMillis(), 1, rawBytes);
      }
    }

    synchronized Snapshot snapshot(String proxy, long now) {
      List<Line> lines = new ArrayList<>();
      routes.forEach((k, c) -> lines.add(c.line(k, now)));
      lines.sort(Comparator.comparingLong(Line::requests).reversed().thenComparing(Line::key));
      return new Snapshot(proxy, connections, total.line("*", now), List.copyOf(lines));
    }
  }
}
