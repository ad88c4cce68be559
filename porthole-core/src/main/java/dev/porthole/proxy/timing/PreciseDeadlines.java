package dev.porthole.proxy.timing;

import io.netty.util.concurrent.FastThreadLocal;
import java.util.Arrays;

/**
 * The deadlines of one event loop that must be met to the microsecond (a latency toxic's due
 * times), kept in a min-heap of ticker nanoseconds. The loop's {@link EarlyWakeIoHandler} reads
 * them to wake up before each one and poll until it passes, instead of sleeping until the deadline
 * and paying the thread's wake-up latency on top of it.
 *
 * <p>Only the loop's own thread touches an instance. A deadline is dropped once it has passed, so a
 * cancelled timer costs at most one early wake-up.
 */
public final class PreciseDeadlines {
  // Past this many pending deadlines, new ones wait the usual way (a bound, not a working size).
  static final int MAX = 1 << 16;

  /**
   * Returns how long a deadline is kept after it passed (ns): the task behind it was scheduled a
   * little after its due time was computed, so the loop polls a little past the due time. (Polling
   * 250 µs longer, for a quick peer's answer to what the toxic just sent, was measured and dropped:
   * p50 no better, p99 worse; docs/benchmarks.md.)
   */
  static final long GRACE_NANOS = 20_000;

  private static final FastThreadLocal<PreciseDeadlines> CURRENT = new FastThreadLocal<>();

  private long[] heap = new long[16];
  private int size;

  PreciseDeadlines() {}

  /**
   * Asks the event loop of the calling thread to be awake at {@code dueNanos}, in the time of its
   * {@link io.netty.util.concurrent.Ticker} (the time a scheduled task's deadline uses). Does
   * nothing off such a loop, e.g. in an {@code EmbeddedChannel} on a virtual clock.
   */
  public static void request(long dueNanos) {
    PreciseDeadlines deadlines = CURRENT.getIfExists();
    if (deadlines != null) {
      deadlines.add(dueNanos);
    }
  }

  /** Makes this instance the one {@link #request} finds on the calling (event loop) thread. */
  void bindToCurrentThread() {
    CURRENT.set(this);
  }

  /** Adds a deadline (ticker nanoseconds). */
  void add(long dueNanos) {
    if (size == MAX) {
      return;
    }
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, size * 2);
    }
    int i = size++;
    while (i > 0 && heap[(i - 1) / 2] > dueNanos) {
      heap[i] = heap[(i - 1) / 2];
      i = (i - 1) / 2;
    }
    heap[i] = dueNanos;
  }

  /**
   * Drops the deadlines more than {@link #GRACE_NANOS} before {@code now} and returns the next
   * one, or Long.MAX_VALUE.
   */
  long next(long now) {
    while (size > 0 && heap[0] < now - GRACE_NANOS) {
      removeFirst();
    }
    return size == 0 ? Long.MAX_VALUE : heap[0];
  }

  /** Returns how many deadlines are pending (tests). */
  int size() {
    return size;
  }

  private void removeFirst() {
    long last = heap[--size];
    int i = 0;
    while (true) {
      int child = 2 * i + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && heap[child + 1] < heap[child]) {
        child++;
      }
      if (heap[child] >= last) {
        break;
      }
      heap[i] = heap[child];
      i = child;
    }
    if (size > 0) {
      heap[i] = last;
    }
  }
}
