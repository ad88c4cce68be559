package dev.porthole.watch;

import dev.porthole.text.Durations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Returns the watch loop: every {@code interval}, read the listeners, turn the differences into
 * events, record them in the store and hand them to the sinks.
 *
 * <pre>{@code
 * try (Watcher w = new Watcher(ListenerReader.system(), new WatchStore(store), options)) {
 *   w.addSink(event -> System.out.println(event.message()));
 *   w.start();
 * }
 * }</pre>
 *
 * <p>The policy file is re-read when its size or mtime changes; a broken one is rejected with a
 * {@code policy-rejected} event and the last good policy stays in force. When the store cannot be
 * written, the steps wait in memory (up to {@value #MAX_PENDING}) and are written when it can be
 * again, so a full disk loses nothing that fits in memory.
 */
public final class Watcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Watcher.class);
  private static final int MAX_PENDING = 1000;
  private static final Duration PRUNE_EVERY = Duration.ofHours(1);

  /**
   * Returns the listeners one cycle published and when their reading began, so a caller that also
   * reads them itself can tell which of two readings is the newer.
   *
   * @param startedNanos {@link System#nanoTime()} just before the cycle read the sockets
   */
  public record Reading(List<Listener> listeners, long startedNanos) {
    public Reading {
      listeners = List.copyOf(listeners);
    }
  }

  /**
   * Returns how the watcher runs.
   *
   * @param policyFile the policy; null or a missing file means {@link Policy#NONE}
   * @param keep how long events and closed listeners stay in the store; null keeps everything
   */
  public record Options(Duration interval, Path policyFile, Duration keep) {
    public Options {
      if (interval == null || interval.toMillis() < 10) {
        throw new IllegalArgumentException(
            "interval: "
                + (interval == null ? "none" : Durations.format(interval))
                + " (expected: >= 10ms)");
      }
      if (keep != null && (keep.isNegative() || keep.isZero())) {
        throw new IllegalArgumentException(
            "keep: " + Durations.format(keep) + " (expected: more than 0)");
      }
    }
  }

  private final ListenerReader reader;
  private final WatchStore store;
  private final Options options;
  private final Clock clock;
  private final EventDetector detector = new EventDetector();
  private final List<EventSink> sinks = new CopyOnWriteArrayList<>();
  private final Deque<EventDetector.Step> pending = new ArrayDeque<>();
  private volatile ListenerQuarantine quarantine;
  private volatile Policy policy;
  private volatile Reading last = new Reading(List.of(), 0);
  private volatile long lastCycleNanos;
  private long cycles;
  private Object policyStamp;
  private Instant lastPrune = Instant.EPOCH;
  private boolean storeFailing;
  private ScheduledExecutorService executor;
  private boolean closed;

  /**
   * Loads the policy (a broken file fails here, with its line and reason) and the state a previous
   * run left in {@code store} (null: record nothing).
   */
  public Watcher(ListenerReader reader, WatchStore store, Options options, Clock clock) {
    if (reader == null || options == null || clock == null) {
      throw new IllegalArgumentException("reader, options, clock: required");
    }
    this.reader = reader;
    this.store = store;
    this.options = options;
    this.clock = clock;
    this.policyStamp = stamp(options.policyFile());
    this.policy = policyStamp == null ? Policy.NONE : PolicyFile.load(options.policyFile());
    if (store != null) {
      detector.restore(store.openListeners(), store.lastOwners());
    }
  }

  public Watcher(ListenerReader reader, WatchStore store, Options options) {
    this(reader, store, options, Clock.systemUTC());
  }

  /** Adds a sink; it sees every event from the next cycle on. */
  public Watcher addSink(EventSink sink) {
    sinks.add(sink);
    return this;
  }

  /**
   * Sets what carries out the policy's {@code quarantine} action; without one, a listener the
   * policy wants quarantined gets a {@code quarantine-failed} event.
   */
  public Watcher quarantineWith(ListenerQuarantine hook) {
    this.quarantine = hook;
    return this;
  }

  /** Starts cycling on a background thread, the first cycle at once. */
  public synchronized void start() {
    if (executor != null || closed) {
      throw new IllegalStateException(closed ? "watcher closed" : "start() already called");
    }
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("porthole-watch").unstarted(r));
    executor.scheduleWithFixedDelay(
        this::safeCycle, 0, options.interval().toMillis(), TimeUnit.MILLISECONDS);
  }

  private void safeCycle() {
    try {
      cycle();
    } catch (RuntimeException e) {
      // One bad cycle (an unreadable /proc file) must not end the watch.
      LOG.warn("watch cycle failed: {}", e.getMessage(), e);
    }
  }

  /** Runs one cycle now: returns the events it raised (stored ones carry their id). */
  public synchronized List<WatchEvent> cycle() {
    long started = System.nanoTime();
    Instant now = clock.instant();
    List<WatchEvent> extra = reloadPolicy(now);
    long readStarted = System.nanoTime();
    List<Listener> read = reader.read();
    EventDetector.Step step = detector.step(read, policy, now);
    List<WatchEvent> events = new ArrayList<>(extra);
    events.addAll(step.events());
    events.addAll(QuarantineStep.run(step.events(), read, policy, quarantine));
    events = record(new EventDetector.Step(events, step.opened(), step.closed()), now);
    for (WatchEvent e : events) {
      for (EventSink sink : sinks) {
        try {
          sink.accept(e);
        } catch (RuntimeException ex) {
          LOG.warn("event sink {} failed: {}", sink, ex.getMessage());
        }
      }
    }
    // Published after the sinks ran, so a reader never sees a listener before its events.
    last = new Reading(detector.current(), readStarted);
    prune(now);
    cycles++;
    lastCycleNanos = System.nanoTime() - started;
    return events;
  }

  private List<WatchEvent> record(EventDetector.Step step, Instant now) {
    if (store == null) {
      return step.events();
    }
    pending.addLast(step);
    List<WatchEvent> stored = step.events();
    try {
      while (!pending.isEmpty()) {
        EventDetector.Step next = pending.peekFirst();
        List<WatchEvent> done = store.record(next, now);
        pending.removeFirst();
        if (next == step) {
          stored = done;
        }
      }
      if (storeFailing) {
        LOG.info("store writable again: pending events written");
      }
      storeFailing = false;
    } catch (RuntimeException e) {
      if (!storeFailing) {
        LOG.warn("cannot write events to the store (kept in memory, retried): {}", e.getMessage());
      }
      storeFailing = true;
      while (pending.size() > MAX_PENDING) {
        pending.removeFirst();
      }
    }
    return stored;
  }

  private List<WatchEvent> reloadPolicy(Instant now) {
    Object stamp = stamp(options.policyFile());
    if (java.util.Objects.equals(stamp, policyStamp)) {
      return List.of();
    }
    policyStamp = stamp;
    if (stamp == null) {
      LOG.info("policy file {} removed: no policy in force", options.policyFile());
      policy = Policy.NONE;
      return List.of();
    }
    try {
      policy = PolicyFile.load(options.policyFile());
      LOG.info("policy reloaded from {}", options.policyFile());
      return List.of();
    } catch (PolicyException e) {
      LOG.warn("policy rejected, keeping the last good one: {}", e.getMessage());
      return List.of(EventDetector.policyRejected(e.getMessage(), now));
    }
  }

  private static Object stamp(Path file) {
    if (file == null) {
      return null;
    }
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return List.of(
          a.size(), a.lastModifiedTime().toMillis(), a.fileKey() == null ? 0 : a.fileKey());
    } catch (java.io.IOException e) {
      return null;
    }
  }

  private void prune(Instant now) {
    if (store == null
        || options.keep() == null
        || storeFailing
        || Duration.between(lastPrune, now).compareTo(PRUNE_EVERY) < 0) {
      return;
    }
    lastPrune = now;
    try {
      int n = store.prune(options.keep(), now);
      if (n > 0) {
        LOG.info("retention {}: {} old row(s) deleted", Durations.format(options.keep()), n);
      }
    } catch (RuntimeException e) {
      LOG.warn("retention: cannot prune the store: {}", e.getMessage());
    }
  }

  /** Returns the policy in force. */
  public Policy policy() {
    return policy;
  }

  /** Returns the listeners as of the last cycle. */
  public List<Listener> listeners() {
    return last.listeners();
  }

  /** Returns the last cycle's listeners with the time their reading began. */
  public Reading lastReading() {
    return last;
  }

  /** Returns how long the last cycle took, in nanoseconds. */
  public long lastCycleNanos() {
    return lastCycleNanos;
  }

  /** Returns the options the watcher runs with. */
  public Options options() {
    return options;
  }

  @Override
  public void close() {
    ScheduledExecutorService running;
    synchronized (this) {
      running = executor;
      closed = true;
    }
    if (running != null) {
      // A cycle in progress has finished (close waited for the lock); no new one starts.
      running.shutdown();
      try {
        if (!running.awaitTermination(5, TimeUnit.SECONDS)) {
          running.shutdownNow();
        }
      } catch (InterruptedException e) {
        running.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
    for (EventSink sink : sinks) {
      sink.close();
    }
  }
}
