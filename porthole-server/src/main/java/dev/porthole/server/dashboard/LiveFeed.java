package dev.porthole.server.dashboard;

import dev.porthole.proxy.ProxyRegistry;
import dev.porthole.proxy.ProxyState;
import dev.porthole.proxy.ProxyStats;
import dev.porthole.server.Json;
import dev.porthole.server.ProxyJson;
import dev.porthole.watch.Listener;
import dev.porthole.watch.WatchEvent;
import dev.porthole.watch.WatchStore;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Returns the dashboard's live state, pushed to every open page over Server-Sent Events.
 *
 * <p>Each page holds one request open ({@code text/event-stream}). One thread samples every {@code
 * interval}: the listeners (sent as {@code ports} only when they changed, so 1,000 quiet listeners
 * cost nothing on the wire), the proxies with their counters and throughput ({@code proxies}, every
 * tick, since counters move), a totals {@code sample} for the Overview chart, and the watch's new
 * events ({@code events}). A page that connects gets everything at once ({@code hello}), so a
 * reconnect after a daemon restart needs no extra request.
 */
final class LiveFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);

  /** Samples kept for the Overview chart: five minutes at one a second. */
  static final int SAMPLES = 300;

  /** Throughput points kept per proxy for its sparkline. */
  static final int RATES = 60;

  /** Messages a page may fall behind by before it is dropped. */
  private static final int QUEUE = 256;

  /** Seconds of silence after which a comment line checks that the page is still there. */
  private static final int PING_SECONDS = 15;

  // Compared by identity: tells a stream to end.
  @SuppressWarnings("StringOperationCanBeSimplified")
  private static final String CLOSE = new String("close");

  private final ProxyRegistry proxies;
  private final WatchStore watch;
  private final Supplier<List<Listener>> source;
  private final Duration interval;
  private final List<BlockingQueue<String>> clients = new CopyOnWriteArrayList<>();
  private volatile boolean closed;
  private final ScheduledExecutorService executor;

  // Owned by the executor's thread, and read under this object's lock.
  private Map<String, Object> ports = PortViews.feed(List.of());
  private List<Listener> listeners = List.of();
  private final ArrayDeque<Map<String, Object>> samples = new ArrayDeque<>();
  private final Map<String, ArrayDeque<Long>> rates = new HashMap<>();
  private final Map<String, Long> lastBytes = new HashMap<>();
  private long lastTickNanos;
  private long lastEventId = -1;
  private boolean watchBroken;

  LiveFeed(
      ProxyRegistry proxies, WatchStore watch, Supplier<List<Listener>> source, Duration interval) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval: " + interval + " (expected: > 0)");
    }
    this.proxies = proxies;
    this.watch = watch;
    this.source = source;
    this.interval = interval;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("porthole-dashboard-feed").unstarted(r));
  }

  void start() {
    proxies.addListener(name -> executor.execute(this::proxiesChanged));
    executor.scheduleWithFixedDelay(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Returns the listeners of the last sample, read now when no page keeps the sample fresh. */
  synchronized List<Listener> listeners() {
    if (clients.isEmpty()) {
      refreshPorts(source.get());
    }
    return listeners;
  }

  /** Takes a fresh reading of the listeners; true when the rows pages see changed. */
  private boolean refreshPorts(List<Listener> now) {
    Map<String, Object> rows = PortViews.feed(now);
    listeners = now;
    if (rows.equals(ports)) {
      return false;
    }
    ports = rows;
    return true;
  }

  /**
   * Streams to one page until it goes away or the daemon stops: the whole state first, then every
   * change. Holds the request's thread; a page that cannot keep up (its queue fills) is dropped and
   * reconnects by itself.
   */
  void stream(Context ctx) {
    ctx.status(200);
    ctx.res().setContentType("text/event-stream");
    ctx.res().setCharacterEncoding("UTF-8");
    ctx.header("Cache-Control", "no-cache");
    ctx.header("X-Accel-Buffering", "no");
    BlockingQueue<String> queue = new LinkedBlockingQueue<>(QUEUE);
    Map<String, Object> hello = new LinkedHashMap<>();
    synchronized (this) {
      if (clients.isEmpty()) {
        refreshPorts(source.get()); // nobody was looking: the last reading may be old
      }
      hello.put("ports", ports);
      hello.put("proxies", proxyViews(proxies.list()));
      hello.put("samples", List.copyOf(samples));
      queue.add(event("hello", Json.write(hello)));
      clients.add(queue);
    }
    try {
      OutputStream out = ctx.res().getOutputStream();
      while (!closed) {
        String message = queue.poll(PING_SECONDS, TimeUnit.SECONDS);
        if (message == CLOSE) {
          break;
        }
        out.write((message == null ? ": ping\n\n" : message).getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    } catch (IOException e) {
      LOG.debug("dashboard page went away: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      clients.remove(queue);
    }
  }

  private static String event(String name, String json) {
    return "event: " + name + "\ndata: " + json + "\n\n";
  }

  private void tick() {
    try {
      // With no page open only the proxies' figures are sampled (the chart's history needs
      // them); the listeners, a /proc or netlink read each second, wait for a page to ask, and
      // the chart's listener count holds its last value meanwhile.
      boolean watched = !clients.isEmpty();
      List<Listener> now = watched ? source.get() : null;
      List<ProxyState> all = proxies.list();
      synchronized (this) {
        if (now != null && refreshPorts(now)) {
          broadcast("ports", Json.write(ports));
        }
        Map<String, Object> sample = sample(all, listeners.size());
        samples.addLast(sample);
        if (samples.size() > SAMPLES) {
          samples.removeFirst();
        }
        broadcast("proxies", Json.write(proxyViews(all)));
        broadcast("sample", Json.write(sample));
        List<WatchEvent> fresh = newEvents();
        if (!fresh.isEmpty()) {
          broadcast("events", Json.write(fresh));
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("dashboard sample failed: {}", e.toString());
    }
  }

  private synchronized void proxiesChanged() {
    broadcast("proxies", Json.write(proxyViews(proxies.list())));
  }

  /** Returns the totals for the chart, and moves every proxy's throughput one point on. */
  private Map<String, Object> sample(List<ProxyState> all, int listenerCount) {
    long nowNanos = System.nanoTime();
    double seconds = lastTickNanos == 0 ? 0 : (nowNanos - lastTickNanos) / 1e9;
    lastTickNanos = nowNanos;
    long open = 0;
    long totalRate = 0;
    Map<String, Long> seen = new HashMap<>();
    for (ProxyState p : all) {
      ProxyStats s = p.stats();
      long bytes = s.bytesUpstream() + s.bytesDownstream();
      Long before = lastBytes.get(p.name());
      long rate =
          before == null || seconds <= 0 ? 0 : Math.max(0, Math.round((bytes - before) / seconds));
      seen.put(p.name(), bytes);
      ArrayDeque<Long> history = rates.computeIfAbsent(p.name(), k -> new ArrayDeque<>());
      history.addLast(rate);
      if (history.size() > RATES) {
        history.removeFirst();
      }
      open += s.connectionsOpen();
      totalRate += rate;
    }
    lastBytes.keySet().retainAll(seen.keySet());
    lastBytes.putAll(seen);
    rates.keySet().retainAll(seen.keySet());
    Map<String, Object> sample = new LinkedHashMap<>();
    sample.put("t", Instant.now().toEpochMilli());
    sample.put("connections", open);
    sample.put("bytesPerSecond", totalRate);
    sample.put("listeners", listenerCount);
    return sample;
  }

  private List<Map<String, Object>> proxyViews(List<ProxyState> all) {
    List<Map<String, Object>> out = new ArrayList<>(all.size());
    for (ProxyState p : all) {
      Map<String, Object> m = ProxyJson.detailed(p);
      ArrayDeque<Long> history = rates.get(p.name());
      m.put("rates", history == null ? List.of() : List.copyOf(history));
      out.add(m);
    }
    return out;
  }

  /** Returns the watch's events stored since the last call; none on the first. */
  private List<WatchEvent> newEvents() {
    try {
      List<WatchEvent> latest = watch.events(new WatchStore.EventQuery(null, null, null, 100));
      long max = latest.isEmpty() ? 0 : latest.getLast().id();
      List<WatchEvent> fresh =
          lastEventId < 0
              ? List.of()
              : latest.stream().filter(e -> e.id() > lastEventId).toList().reversed();
      lastEventId = Math.max(lastEventId, max);
      watchBroken = false;
      return fresh;
    } catch (RuntimeException e) {
      if (!watchBroken && !closed) { // say it once per outage, not every second
        LOG.warn("dashboard cannot read the watch's events: {}", e.toString());
      }
      watchBroken = true;
      return List.of();
    }
  }

  private void broadcast(String name, String json) {
    String message = event(name, json);
    for (BlockingQueue<String> queue : clients) {
      if (!queue.offer(message)) {
        clients.remove(queue); // too slow: drop it rather than hold memory for it
        queue.clear();
        queue.offer(CLOSE);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    executor.shutdownNow();
    try {
      // A sample in progress must not touch the store the daemon closes next.
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (BlockingQueue<String> queue : clients) {
      queue.clear();
      queue.offer(CLOSE);
    }
  }
}
