package dev.porthole.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The warm-up stops once the JIT compiled next to nothing for four batches, never before 400. */
class JitSettleTest {
  final AtomicLong compiled = new AtomicLong();
  final JitSettle settle = new JitSettle(compiled::get);

  /** Runs batches that each compile {@code millis}; returns the connections when it settled. */
  int runUntilSettled(long... millis) {
    int done = 0;
    for (long m : millis) {
      done += JitSettle.BATCH;
      compiled.addAndGet(m);
      if (settle.settled(done)) {
        return done;
      }
    }
    return -1;
  }

  @Test
  void stopsAfterFourQuietBatchesInARow() {
    // The first reading has nothing to compare with; a burst in between starts the count again.
    assertThat(runUntilSettled(500, 300, 2, 1, 200, 0, 3, 9, 1)).isEqualTo(900);
  }

  @Test
  void neverStopsBeforeItsMinimumNorWhileCompiling() {
    assertThat(runUntilSettled(0, 0, 0)).isEqualTo(-1);
    assertThat(new JitSettle(compiled::get).settled(JitSettle.MINIMUM)).isFalse();
    assertThat(runUntilSettled(50, 50, 50, 50, 50, 50, 50, 50)).isEqualTo(-1);
  }

  @Test
  void looksOnlyAtTheEndOfABatch() {
    assertThat(settle.settled(0)).isFalse();
    assertThat(settle.settled(JitSettle.BATCH + 1)).isFalse();
  }

  @Test
  void withoutACompileTimeStopsAtItsMinimum() {
    JitSettle blind = new JitSettle(() -> -1);

    assertThat(blind.settled(JitSettle.MINIMUM - JitSettle.BATCH)).isFalse();
    assertThat(blind.settled(JitSettle.MINIMUM)).isTrue();
  }
}
