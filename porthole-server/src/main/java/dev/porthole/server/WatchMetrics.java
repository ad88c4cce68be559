package dev.porthole.server;

import dev.porthole.proxy.ProxyRegistry;
import dev.porthole.proxy.ProxyState;
import dev.porthole.proxy.ProxyStats;
import dev.porthole.watch.EventType;
import dev.porthole.watch.Listener;
import dev.porthole.watch.WatchEvent;
import dev.porthole.watch.Watcher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Returns the daemon's Prometheus metrics: listeners by port, process and scope, watch events by
 * type, and each proxy's bytes and connections, under porthole's names and under Toxiproxy's
 * ({@code toxiproxy_proxy_received_bytes_total}, {@code toxiproxy_proxy_sent_bytes_total}) so its
 * dashboards keep working.
 *
 * <p>Listener and proxy meters are refreshed at scrape time from the watcher and the proxy
 * registry, so a scrape always sees the current state and no meter outlives its proxy.
 */
final class WatchMetrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, Counter> events = new HashMap<>();
  private final MultiGauge listeners;
  private final Map<String, ProxyStats> proxyStats = new ConcurrentHashMap<>();
  private final Map<String, List<Meter>> proxyMeters = new HashMap<>();
  private final ProxyRegistry proxies;
  private final Watcher watcher;
  private final ProcessMetrics process = new ProcessMetrics(registry);

  WatchMetrics(Watcher watcher, ProxyRegistry proxies) {
    this.watcher = watcher;
    this.proxies = proxies;
    for (EventType t : EventType.values()) {
      events.put(
          t.label(),
          Counter.builder("porthole.watch.events")
              .description("Watch events raised, by type")
              .tag("type", t.label())
              .register(registry));
    }
    listeners =
        MultiGauge.builder("porthole.listeners")
            .description("Listening sockets, by protocol, port, owning process and bind scope")
            .register(registry);
    if (watcher != null) {
      Gauge.builder("porthole.watch.cycle", watcher, w -> w.lastCycleNanos() / 1e9)
          .description("Duration of the last snapshot and diff")
          .baseUnit("seconds")
          .register(registry);
    }
  }

  /** Unbinds the process series and closes the registry. */
  @Override
  public void close() {
    process.close();
    registry.close();
  }

  /** Counts one event (the watcher calls this as a sink). */
  void count(WatchEvent e) {
    Counter c = events.get(e.type());
    if (c != null) {
      c.increment();
    }
  }

  /** Returns the metrics in Prometheus text format, refreshed from the current state. */
  synchronized String scrape() {
    if (watcher != null) {
      refreshListeners(watcher.listeners());
    }
    if (proxies != null) {
      refreshProxies(proxies.list());
    }
    return registry.scrape();
  }

  private void refreshListeners(List<Listener> now) {
    Map<Tags, Integer> counts = new HashMap<>();
    for (Listener l : now) {
      Tags tags =
          Tags.of(
              "protocol",
              l.protocol().label(),
              "port",
              Integer.toString(l.port()),
              "process",
              l.ownerName(),
              "scope",
              l.scope().label());
      counts.merge(tags, 1, Integer::sum);
    }
    List<MultiGauge.Row<?>> rows = new ArrayList<>(counts.size());
    counts.forEach((tags, n) -> rows.add(MultiGauge.Row.of(tags, n)));
    listeners.register(rows, true);
  }

  private void refreshProxies(List<ProxyState> list) {
    Map<String, ProxyState> byKey = new HashMap<>();
    for (ProxyState p : list) {
      String key = p.name() + "\u0000" + p.listen() + "\u0000" + p.upstream();
      byKey.put(key, p);
      proxyStats.put(key, p.stats());
      proxyMeters.computeIfAbsent(key, k -> register(k, p));
    }
    proxyMeters
        .entrySet()
        .removeIf(
            e -> {
              if (byKey.containsKey(e.getKey())) {
                return false;
              }
              e.getValue().forEach(registry::remove);
              proxyStats.remove(e.getKey());
              return true;
            });
  }

  private List<Meter> register(String key, ProxyState p) {
    List<Meter> meters = new ArrayList<>();
    Tags proxy = Tags.of("proxy", p.name());
    Tags toxi = Tags.of("proxy", p.name(), "listener", p.listen(), "upstream", p.upstream());
    for (String direction : new String[] {"upstream", "downstream"}) {
      ToDoubleFunction<Map<String, ProxyStats>> bytes =
          m -> {
            ProxyStats s = m.get(key);
            return s == null
                ? 0
                : direction.equals("upstream") ? s.bytesUpstream() : s.bytesDownstream();
          };
      meters.add(
          FunctionCounter.builder("porthole.proxy.bytes", proxyStats, bytes)
              .description("Bytes a proxy forwarded, by direction")
              .baseUnit("bytes")
              .tags(proxy)
              .tag("direction", direction)
              .register(registry));
      // Toxiproxy counts what it read and what it wrote; without toxics that drop data they agree.
      for (String name : new String[] {"toxiproxy.proxy.received", "toxiproxy.proxy.sent"}) {
        meters.add(
            FunctionCounter.builder(name, proxyStats, bytes)
                .description("Toxiproxy-compatible byte counter")
                .baseUnit("bytes")
                .tags(toxi)
                .tag("direction", direction)
                .register(registry));
      }
    }
    meters.addAll(connections(key, proxy));
    return meters;
  }

  private List<Meter> connections(String key, Tags proxy) {
    List<Meter> meters = new ArrayList<>();
    meters.add(
        FunctionCounter.builder(
                "porthole.proxy.connections",
                proxyStats,
                m -> m.containsKey(key) ? m.get(key).connectionsTotal() : 0)
            .description("Connections a proxy accepted")
            .tags(proxy)
            .register(registry));
    meters.add(
        Gauge.builder(
                "porthole.proxy.open.connections",
                proxyStats,
                m -> m.containsKey(key) ? m.get(key).connectionsOpen() : 0)
            .description("Connections a proxy holds open now")
            .tags(proxy)
            .register(registry));
    return meters;
  }
}
