package dev.porthole.watch;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Returns a sink that POSTs alert events as JSON to a URL, from its own thread.
 *
 * <p>{@link #accept} only enqueues (never blocks the watcher); a full queue drops the oldest event
 * and counts it. A failed POST (connection refused, timeout, non-2xx) is retried with exponential
 * back-off from {@code firstBackoff}, doubling up to 30 s, {@code attempts} times in all; then the
 * event is dropped and counted.
 */
public final class WebhookSink implements EventSink {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookSink.class);
  private static final int QUEUE = 1000;
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final URI url;
  private final int attempts;
  private final Duration firstBackoff;
  private final boolean alertsOnly;
  private final HttpClient client;
  private final BlockingQueue<WatchEvent> queue = new ArrayBlockingQueue<>(QUEUE);
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final Thread sender;
  private volatile boolean closed;

  /**
   * @param alertsOnly true to send only events marked {@code alert}; false for every event
   */
  public WebhookSink(URI url, int attempts, Duration firstBackoff, boolean alertsOnly) {
    if (url == null || !(url.getScheme() != null && url.getScheme().matches("https?"))) {
      throw new IllegalArgumentException("url: " + url + " (expected: an http:// or https:// URL)");
    }
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts: " + attempts + " (expected: >= 1)");
    }
    if (firstBackoff == null || firstBackoff.isNegative()) {
      throw new IllegalArgumentException("firstBackoff: " + firstBackoff + " (expected: >= 0)");
    }
    this.url = url;
    this.attempts = attempts;
    this.firstBackoff = firstBackoff;
    this.alertsOnly = alertsOnly;
    this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    this.sender = Thread.ofPlatform().daemon().name("porthole-webhook").start(this::run);
  }

  @Override
  public void accept(WatchEvent event) {
    if (closed || (alertsOnly && !event.alert())) {
      return;
    }
    while (!queue.offer(event)) {
      if (queue.poll() != null) {
        dropped.incrementAndGet();
      }
    }
  }

  /** Returns how many events the URL accepted (2xx). */
  public long delivered() {
    return delivered.get();
  }

  /** Returns how many events were given up on (queue full, or every attempt failed). */
  public long dropped() {
    return dropped.get();
  }

  private void run() {
    while (!closed) {
      WatchEvent event;
      try {
        event = queue.poll(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (event != null && !send(event)) {
        dropped.incrementAndGet();
      }
    }
  }

  private boolean send(WatchEvent event) {
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .header("User-Agent", "porthole-watch")
            .POST(HttpRequest.BodyPublishers.ofString(WatchStore.json(event)))
            .build();
    Duration backoff = firstBackoff;
    for (int attempt = 1; attempt <= attempts && !closed; attempt++) {
      String problem;
      try {
        int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status / 100 == 2) {
          delivered.incrementAndGet();
          return true;
        }
        problem = "HTTP " + status;
      } catch (java.io.IOException e) {
        problem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      LOG.info(
          "webhook {}: attempt {}/{} for event {} failed: {}",
          url,
          attempt,
          attempts,
          event.id(),
          problem);
      if (attempt < attempts && !sleep(backoff)) {
        return false;
      }
      backoff =
          backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
              ? MAX_BACKOFF
              : backoff.multipliedBy(2);
    }
    LOG.warn("webhook {}: giving up on event {} after {} attempt(s)", url, event.id(), attempts);
    return false;
  }

  private boolean sleep(Duration d) {
    try {
      Thread.sleep(d);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Stops sending; events still queued are dropped. */
  @Override
  public void close() {
    closed = true;
    sender.interrupt();
  }
}
