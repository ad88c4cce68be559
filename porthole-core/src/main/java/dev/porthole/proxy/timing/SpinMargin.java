package dev.porthole.proxy.timing;

/**
 * How early an event loop wakes before a precise deadline, and how much of its time it may spend
 * polling for one. The margin follows how late the loop's early wake-ups actually came: it tracks
 * their 75th percentile (a streaming estimate that a few wake-ups of many milliseconds on a busy
 * machine do not drag up), so most wake-ups land inside it. Once that estimate reaches {@link
 * #MAX_NANOS} the machine is busy: the loop waits for its CPU, and a thread that spins while others
 * wait only loses its turn to them (the scheduler favours a thread that slept), so the loop sleeps
 * plainly until its wake-ups are on time again. The budget caps the polling at {@link
 * #BUDGET_PERCENT} % of each second, so a loop with many timers falls back to plain sleeping
 * instead of spinning a core.
 */
final class SpinMargin {
  /** Returns the smallest margin (ns): about one wake-up of an idle CPU. */
  static final long MIN_NANOS = 100_000;

  /** Returns the largest margin (ns): beyond it the machine is too busy for polling to help. */
  static final long MAX_NANOS = 400_000;

  /** Returns the share of each second a loop may spend polling for deadlines. */
  static final int BUDGET_PERCENT = 10;

  private static final long WINDOW_NANOS = 1_000_000_000L;
  private static final long BUDGET_NANOS = WINDOW_NANOS * BUDGET_PERCENT / 100;

  // The estimate's steps: up 3 parts in 4, down 1 in 4, so it settles where 75 % of samples fall.
  private static final long STEP_UP_NANOS = 15_000;
  private static final long STEP_DOWN_NANOS = 5_000;

  private long lateNanos = MIN_NANOS / 2;
  private long windowStart = Long.MIN_VALUE;
  private long charged;

  /** Returns the current margin in nanoseconds. */
  long nanos() {
    return Math.clamp(lateNanos + MIN_NANOS / 2, MIN_NANOS, MAX_NANOS);
  }

  /** Returns whether wake-ups come later than the largest margin: no polling then. */
  boolean busy() {
    return lateNanos >= MAX_NANOS;
  }

  /** Records how late an early wake-up came after the time it asked for (ns, 0 when on time). */
  void late(long nanos) {
    lateNanos =
        nanos > lateNanos
            ? Math.min(lateNanos + STEP_UP_NANOS, MAX_NANOS)
            : Math.max(lateNanos - STEP_DOWN_NANOS, 0);
  }

  /**
   * Returns whether one more early wake-up fits this second's budget at {@code now} (ticker ns),
   * and charges it the polling (margin and grace) when it does.
   */
  boolean charge(long now) {
    if (windowStart == Long.MIN_VALUE || now - windowStart >= WINDOW_NANOS) {
      windowStart = now;
      charged = 0;
    }
    long cost = nanos() + PreciseDeadlines.GRACE_NANOS;
    if (charged + cost > BUDGET_NANOS) {
      return false;
    }
    charged += cost;
    return true;
  }
}
