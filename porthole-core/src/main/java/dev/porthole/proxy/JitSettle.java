package dev.porthole.proxy;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/**
 * Returns when a warm-up may stop because the JIT has compiled what it runs: after each batch of
 * {@link #BATCH} connections it reads the JVM's total compilation time, and once {@link #QUIET} of
 * those batches in a row compiled less than {@link #QUIET_MILLIS} (and at least {@link #MINIMUM}
 * connections ran), the path is at its last tier.
 *
 * <p>Why not a fixed count: 400 connections leave the path in C1's profiling tier, which HotSpot
 * leaves for C2 only after thousands of calls, so a user's first few thousand connections ran
 * slower code and paid the C2 compiles beside them (docs/benchmarks.md, section connsetup). How
 * many calls that takes depends on the JVM and its flags; the compile time says when it is done.
 * Without a compilation bean (a JVM that has none) it stops at {@link #MINIMUM}.
 */
final class JitSettle {
  /** Returns how many connections one batch makes between two readings. */
  static final int BATCH = 100;

  /** Returns the fewest connections a warm-up makes before it may stop for a quiet JIT. */
  static final int MINIMUM = 400;

  /**
   * Returns how many quiet batches in a row end the warm-up: C2 compiles come in bursts as one
   * method after another crosses its threshold, with quiet batches between them until ~4,500.
   */
  static final int QUIET = 4;

  /** Returns the compile time (ms) under which a batch counts as quiet: 0.1 ms a connection. */
  static final long QUIET_MILLIS = 10;

  private final LongSupplier compileMillis;
  private long last = -1;
  private int quietBatches;

  /** Returns a settle check on this JVM's compilation time, or a count-only one without it. */
  static JitSettle ofThisJvm() {
    CompilationMXBean bean = ManagementFactory.getCompilationMXBean();
    if (bean == null || !bean.isCompilationTimeMonitoringSupported()) {
      return new JitSettle(() -> -1);
    }
    return new JitSettle(bean::getTotalCompilationTime);
  }

  /** Returns a settle check on {@code compileMillis} (-1: not known). */
  JitSettle(LongSupplier compileMillis) {
    this.compileMillis = compileMillis;
  }

  /** Returns whether the warm-up may stop after {@code done} connections. */
  boolean settled(int done) {
    if (done == 0 || done % BATCH != 0) {
      return false;
    }
    long now = compileMillis.getAsLong();
    if (now < 0) {
      return done >= MINIMUM;
    }
    quietBatches = last >= 0 && now - last < QUIET_MILLIS ? quietBatches + 1 : 0;
    last = now;
    return done >= MINIMUM && quietBatches >= QUIET;
  }
}
