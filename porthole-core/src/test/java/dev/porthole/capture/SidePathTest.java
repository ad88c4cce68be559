package dev.porthole.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SidePathTest {
  @Test
  void workFromManyThreadsRunsOnceEachAndInOrderPerThread() throws Exception {
    int threads = 4;
    int each = 20_000;
    List<List<Integer>> seen = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      seen.add(new ArrayList<>());
    }
    try (SidePath path = new SidePath("test-side-path")) {
      List<Thread> producers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        List<Integer> mine = seen.get(t);
        producers.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      for (int i = 0; i < each; i++) {
                        int n = i;
                        path.execute(() -> mine.add(n));
                      }
                    }));
      }
      for (Thread p : producers) {
        p.join(10_000);
      }
      path.sync(10_000);
    }
    for (List<Integer> s : seen) {
      assertThat(s).hasSize(each);
      for (int i = 0; i < each; i++) {
        assertThat(s.get(i)).isEqualTo(i);
      }
    }
  }

  @Test
  void aThreadAsleepForGoodIsWokenByNewWork() throws Exception {
    try (SidePath path = new SidePath("test-side-path")) {
      for (int round = 0; round < 20; round++) {
        // Well past the linger: the thread sleeps until woken; the work must still run.
        Thread.sleep(3 * TimeUnit.NANOSECONDS.toMillis(SidePath.LINGER_NANOS) + 2);
        CountDownLatch ran = new CountDownLatch(1);
        path.execute(ran::countDown);
        assertThat(ran.await(5, TimeUnit.SECONDS)).as("round %d", round).isTrue();
      }
    }
  }

  @Test
  void closingRunsWhatWasQueuedAndRefusesMore() throws Exception {
    SidePath path = new SidePath("test-side-path");
    CountDownLatch ran = new CountDownLatch(100);
    for (int i = 0; i < 100; i++) {
      path.execute(ran::countDown);
    }
    path.close();
    assertThat(ran.getCount()).isZero();
    assertThat(path.execute(() -> {})).isFalse();
  }
}
