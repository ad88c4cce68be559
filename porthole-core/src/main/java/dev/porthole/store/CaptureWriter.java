package dev.porthole.store;

import dev.porthole.capture.CaptureListener;
import dev.porthole.capture.CaptureSettings;
import dev.porthole.capture.ConnectionRecord;
import dev.porthole.capture.Held;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Returns the capture's store writer: records are queued (bounded) by the decoder thread and
 * written in batches by this writer's own thread, and old records are pruned by age and total size.
 * A full queue never waits: the record is dropped and counted ({@link #dropped()}).
 */
public final class CaptureWriter implements CaptureListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CaptureWriter.class);
  private static final int BATCH = 500;

  /** Returns the most the default bound on queued bytes is: 64 MiB. */
  static final long MAX_QUEUED_BYTES = 64L * 1024 * 1024;

  /**
   * Returns how long and how much the store keeps.
   *
   * @param maxAge records older than this are deleted
   * @param maxBytes the records' total size kept at most (the oldest go first)
   */
  public record Retention(Duration maxAge, long maxBytes) {
    /** Returns the default age limit: one day. */
    public static final Duration DEFAULT_AGE = Duration.ofDays(1);

    /** Returns the default size limit: 256 MiB. */
    public static final long DEFAULT_BYTES = 256L * 1024 * 1024;

    public Retention {
      if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
        throw new IllegalArgumentException("maxAge: " + maxAge + " (expected: > 0)");
      }
      if (maxBytes <= 0) {
        throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: > 0)");
      }
    }

    /** Returns the defaults. */
    public static Retention defaults() {
      return new Retention(DEFAULT_AGE, DEFAULT_BYTES);
    }
  }

  private final CaptureTable table;
  private final Retention retention;
  private final BlockingQueue<ConnectionRecord> queue;
  private final LongAdder dropped = new LongAdder();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final long queuedBytesLimit;
  private final LongAdder written = new LongAdder();
  private final AtomicLong pruned = new AtomicLong();
  private final Thread thread;
  private final Duration pruneEvery;
  private volatile boolean closing;
  private volatile long batches;

  /**
   * Returns a writer with its thread started; {@code capacity} records taking {@code queuedBytes}
   * at most ({@link Held#of(ConnectionRecord)}) may wait.
   */
  public CaptureWriter(
      CaptureTable table,
      Retention retention,
      int capacity,
      long queuedBytes,
      Duration pruneEvery) {
    if (queuedBytes <= 0) {
      throw new IllegalArgumentException("queuedBytes: " + queuedBytes + " (expected: > 0)");
    }
    this.queuedBytesLimit = queuedBytes;
    this.table = table;
    this.retention = retention;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.pruneEvery = pruneEvery;
    this.thread = Thread.ofPlatform().daemon().name("porthole-capture-store").start(this::run);
  }

  /**
   * Returns a writer with its thread started; {@code capacity} records may wait, taking at most an
   * eighth of the heap (and 64 MiB).
   */
  public CaptureWriter(CaptureTable table, Retention retention, int capacity, Duration pruneEvery) {
    this(
        table,
        retention,
        capacity,
        Math.min(MAX_QUEUED_BYTES, CaptureSettings.heapShare()),
        pruneEvery);
  }

  /** Returns a writer with the default queue (10,000 records) pruning every 30 s. */
  public CaptureWriter(CaptureTable table, Retention retention) {
    this(table, retention, 10_000, Duration.ofSeconds(30));
  }

  @Override
  public void connection(ConnectionRecord record) {
    long size = Held.of(record);
    if (closing || queuedBytes.addAndGet(size) > queuedBytesLimit || !queue.offer(record)) {
      queuedBytes.addAndGet(-size);
      dropped.increment();
    }
  }

  /** Returns how many records were dropped because the writer fell behind. */
  public long dropped() {
    return dropped.sum();
  }

  /** Returns how many records were written. */
  public long written() {
    return written.sum();
  }

  /** Returns how many records retention deleted. */
  public long pruned() {
    return pruned.get();
  }

  /** Returns the retention in force. */
  public Retention retention() {
    return retention;
  }

  /** Returns once what was queued before this call is written (or after 5 s). */
  public void flush() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    // Two turns of the loop after the call: the second one drained what the first left.
    long target = batches + 2;
    while ((batches < target || !queue.isEmpty()) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void run() {
    long nextPrune = System.nanoTime();
    List<ConnectionRecord> batch = new ArrayList<>(BATCH);
    while (!closing || !queue.isEmpty()) {
      try {
        ConnectionRecord first = queue.poll(50, TimeUnit.MILLISECONDS);
        if (first != null) {
          batch.add(first);
          queue.drainTo(batch, BATCH - 1);
          write(batch);
          batch.clear();
        }
        batches++;
        if (System.nanoTime() - nextPrune >= 0) {
          prune();
          nextPrune = System.nanoTime() + pruneEvery.toNanos();
        }
      } catch (InterruptedException e) {
        closing = true;
      }
    }
  }

  private void write(List<ConnectionRecord> batch) {
    try {
      table.insert(batch);
      written.add(batch.size());
    } catch (RuntimeException e) {
      dropped.add(batch.size());
      LOG.warn("capture: {} records not stored: {}", batch.size(), e.getMessage());
    } finally {
      queuedBytes.addAndGet(-batch.stream().mapToLong(Held::of).sum());
    }
  }

  /** Applies the retention now; returns how many records went. */
  public int prune() {
    try {
      int n =
          table.prune(
              System.currentTimeMillis() - retention.maxAge().toMillis(), retention.maxBytes());
      pruned.addAndGet(n);
      return n;
    } catch (RuntimeException e) {
      LOG.warn("capture: retention failed: {}", e.getMessage());
      return 0;
    }
  }

  /** Writes what is queued, then stops the thread (waits up to 5 s). */
  @Override
  public void close() {
    closing = true;
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
