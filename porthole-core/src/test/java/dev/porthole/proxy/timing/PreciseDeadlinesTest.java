package dev.porthole.proxy.timing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PreciseDeadlinesTest {
  @Test
  void returnsTheEarliestPendingDeadline() {
    PreciseDeadlines d = new PreciseDeadlines();
    d.add(5_000_000);
    d.add(1_000_000);
    d.add(3_000_000);
    assertThat(d.next(0)).isEqualTo(1_000_000);
  }

  @Test
  void keepsADeadlineForAGraceAfterItPassedThenDropsIt() {
    PreciseDeadlines d = new PreciseDeadlines();
    d.add(1_000_000);
    d.add(9_000_000);
    assertThat(d.next(1_000_000 + PreciseDeadlines.GRACE_NANOS)).isEqualTo(1_000_000);
    assertThat(d.next(1_000_001 + PreciseDeadlines.GRACE_NANOS)).isEqualTo(9_000_000);
    assertThat(d.size()).isEqualTo(1);
  }

  @Test
  void returnsNoneWhenEmpty() {
    assertThat(new PreciseDeadlines().next(0)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void givesDeadlinesBackInOrderWhateverOrderTheyCameIn() {
    PreciseDeadlines d = new PreciseDeadlines();
    Random random = new Random(16);
    List<Long> added = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      long t = random.nextLong(1, 1_000_000_000L);
      added.add(t);
      d.add(t);
    }
    List<Long> out = new ArrayList<>();
    // next(t + grace + 1) drops t and everything before it
    for (long t = d.next(0);
        t != Long.MAX_VALUE;
        t = d.next(t + PreciseDeadlines.GRACE_NANOS + 1)) {
      out.add(t);
    }
    assertThat(out).isEqualTo(added.stream().distinct().sorted().toList());
  }

  @Test
  void holdsAtMostItsBound() {
    PreciseDeadlines d = new PreciseDeadlines();
    for (int i = 0; i <= PreciseDeadlines.MAX; i++) {
      d.add(i);
    }
    assertThat(d.size()).isEqualTo(PreciseDeadlines.MAX);
  }

  @Test
  void requestOffAnEventLoopDoesNothing() {
    PreciseDeadlines.request(1_000); // a test thread has no loop: no failure, nothing kept
    PreciseDeadlines d = new PreciseDeadlines();
    assertThat(d.size()).isZero();
  }

  @Test
  void requestReachesTheDeadlinesBoundToTheThread() throws Exception {
    PreciseDeadlines d = new PreciseDeadlines();
    Thread t =
        new io.netty.util.concurrent.FastThreadLocalThread(
            () -> {
              d.bindToCurrentThread();
              PreciseDeadlines.request(42);
            });
    t.start();
    t.join(10_000);
    assertThat(d.next(0)).isEqualTo(42);
  }
}
