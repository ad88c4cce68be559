package dev.porthole.capture;

/**
 * Returns per-second counts over the last {@link #SECONDS} seconds (a ring of buckets), from which
 * rates are read. Not thread-safe: the owner synchronizes.
 */
final class RateWindow {
  /** Returns the window's length in seconds. */
  static final int SECONDS = 60;

  private final long[] stamp = new long[SECONDS];
  private final long[][] counts;
  private final long startSecond;

  RateWindow(int series, long nowMillis) {
    counts = new long[series][SECONDS];
    startSecond = nowMillis / 1000;
  }

  void add(long nowMillis, int series, long n) {
    long second = nowMillis / 1000;
    int i = (int) (second % SECONDS);
    if (stamp[i] != second) {
      stamp[i] = second;
      for (long[] c : counts) {
        c[i] = 0;
      }
    }
    counts[series][i] += n;
  }

  /** Returns the series' mean per second over the window (or since the start, if shorter). */
  double rate(long nowMillis, int series) {
    long second = nowMillis / 1000;
    long sum = 0;
    for (int i = 0; i < SECONDS; i++) {
      if (second - stamp[i] < SECONDS) {
        sum += counts[series][i];
      }
    }
    long span = Math.max(1, Math.min(SECONDS, second - startSecond + 1));
    return (double) sum / span;
  }
}
