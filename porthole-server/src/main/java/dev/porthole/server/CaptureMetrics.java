package dev.porthole.server;

import dev.porthole.capture.TrafficStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Returns the capture's Prometheus metrics, appended to {@code /metrics}: per proxy and per request
 * line ({@code route="GET /path"}, {@code route="*"} for the whole proxy) the requests, errors,
 * rates and latency percentiles (one gauge per percentile), and the records and chunks dropped when
 * the side path fell behind. Gauges are refreshed from {@link TrafficStats} at scrape time.
 */
final class CaptureMetrics {
  private static final String[] PERCENTILES = {"p50", "p90", "p99", "max"};

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final CaptureService capture;
  private final List<Gauge> gauges = new ArrayList<>();
  private final MultiGauge latency;

  private record Gauge(MultiGauge gauge, ToDoubleFunction<TrafficStats.Line> value) {}

  CaptureMetrics(CaptureService capture) {
    this.capture = capture;
    gauge("porthole.capture.requests", "HTTP requests seen", l -> l.requests());
    gauge(
        "porthole.capture.request.errors",
        "HTTP requests answered 5xx or not at all",
        l -> l.errors());
    gauge(
        "porthole.capture.requests.per.second",
        "HTTP requests per second, last minute",
        TrafficStats.Line::requestsPerSecond);
    gauge(
        "porthole.capture.bytes.per.second",
        "Body bytes per second, last minute",
        TrafficStats.Line::bytesPerSecond);
    latency =
        MultiGauge.builder("porthole.capture.latency.seconds")
            .description(
                "HTTP latency, request start to response end by percentile (p50, p90, p99, max)")
            .register(registry);
    FunctionCounter.builder("porthole.capture.dropped.records", capture, c -> c.writer().dropped())
        .description("Records not stored because the store's writer fell behind")
        .register(registry);
    FunctionCounter.builder(
            "porthole.capture.dropped.chunks", capture, c -> c.recorder().droppedChunks())
        .description("Copies not decoded because the decoder fell behind")
        .register(registry);
  }

  private void gauge(String name, String help, ToDoubleFunction<TrafficStats.Line> value) {
    gauges.add(new Gauge(MultiGauge.builder(name).description(help).register(registry), value));
  }

  /** Returns the metrics in Prometheus text format. */
  synchronized String scrape() {
    List<TrafficStats.Snapshot> snapshots = new ArrayList<>();
    for (String proxy : capture.stats().proxies()) {
      TrafficStats.Snapshot s = capture.stats().snapshot(proxy);
      if (s != null) {
        snapshots.add(s);
      }
    }
    for (Gauge g : gauges) {
      List<MultiGauge.Row<?>> rows = new ArrayList<>();
      for (TrafficStats.Snapshot s : snapshots) {
        for (TrafficStats.Line l : lines(s)) {
          rows.add(MultiGauge.Row.of(tags(s, l), g.value().applyAsDouble(l)));
        }
      }
      g.gauge().register(rows, true);
    }
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    for (TrafficStats.Snapshot s : snapshots) {
      for (TrafficStats.Line l : lines(s)) {
        double[] ms = {l.p50Millis(), l.p90Millis(), l.p99Millis(), l.maxMillis()};
        for (int i = 0; i < PERCENTILES.length; i++) {
          rows.add(MultiGauge.Row.of(tags(s, l).and("percentile", PERCENTILES[i]), ms[i] / 1000.0));
        }
      }
    }
    latency.register(rows, true);
    return registry.scrape();
  }

  private static List<TrafficStats.Line> lines(TrafficStats.Snapshot s) {
    List<TrafficStats.Line> all = new ArrayList<>(s.routes());
    all.addFirst(s.total());
    return all;
  }

  private static Tags tags(TrafficStats.Snapshot s, TrafficStats.Line l) {
    return Tags.of("proxy", s.proxy(), "route", l.key());
  }
}
