package dev.porthole.proxy.timing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.proxy.timing.EarlyWakeIoHandler.Step;
import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoRegistration;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Drives the handler with a virtual clock and a delegate that records what it was asked. */
class EarlyWakeIoHandlerTest {
  static final long MS = 1_000_000;

  @Test
  void withoutAPreciseDeadlineTheLoopRunsAsAsked() {
    assertThat(EarlyWakeIoHandler.step(0, 20 * MS, Long.MAX_VALUE, MS / 10))
        .isEqualTo(Step.AS_ASKED);
  }

  @Test
  void aPreciseDeadlineAheadEndsTheWaitAMarginBeforeIt() {
    assertThat(EarlyWakeIoHandler.step(0, 20 * MS, 20 * MS, MS / 10)).isEqualTo(Step.WAIT_EARLY);
  }

  @Test
  void insideTheMarginTheLoopPollsWithoutBlocking() {
    assertThat(EarlyWakeIoHandler.step(19_950_000, 50_000, 20 * MS, MS / 10)).isEqualTo(Step.POLL);
    assertThat(EarlyWakeIoHandler.step(20_010_000, 0, 20 * MS, MS / 10)).isEqualTo(Step.POLL);
  }

  @Test
  void aTaskDueBeforeTheMarginIsWaitedForAsAsked() {
    assertThat(EarlyWakeIoHandler.step(0, 5 * MS, 20 * MS, MS / 10)).isEqualTo(Step.AS_ASKED);
  }

  @Test
  void theDelegateSleepsUntilTheMarginThenPollsUntilTheDeadlinePassed() {
    MockTicker clock = Ticker.newMockTicker();
    Recording delegate = new Recording();
    EarlyWakeIoHandler handler = new EarlyWakeIoHandler(delegate, clock);
    long margin = handler.marginNanos();
    handler.deadlines().add(20 * MS);
    Loop loop = new Loop(clock, 20 * MS);

    handler.run(loop);
    assertThat(delegate.waits.getLast()).isEqualTo(20 * MS - margin);
    clock.advance(20 * MS - margin, TimeUnit.NANOSECONDS); // woken on time
    handler.run(loop);
    assertThat(delegate.asked.getLast()).isEqualTo("poll");
    clock.advance(margin + PreciseDeadlines.GRACE_NANOS, TimeUnit.NANOSECONDS);
    handler.run(loop);
    assertThat(delegate.asked.getLast()).isEqualTo("poll"); // the grace after the due time
    clock.advance(1, TimeUnit.NANOSECONDS);
    handler.run(new Loop(clock, 10 * MS));
    assertThat(delegate.waits.getLast()).isEqualTo(10 * MS); // the deadline is gone: as asked
  }

  @Test
  void lateWakeUpsWidenTheMarginThenStopThePollingUntilWakeUpsAreOnTimeAgain() {
    MockTicker clock = Ticker.newMockTicker();
    Recording delegate = new Recording();
    EarlyWakeIoHandler handler = new EarlyWakeIoHandler(delegate, clock);
    assertThat(handler.marginNanos()).isEqualTo(SpinMargin.MIN_NANOS);
    delegate.onWait = () -> clock.advance(delegate.waits.getLast() + 3 * MS, TimeUnit.NANOSECONDS);
    for (int i = 0; i < 100; i++) { // every wake-up 3 ms late: a busy machine
      chunk(handler, clock);
    }
    assertThat(handler.marginNanos()).isEqualTo(SpinMargin.MAX_NANOS);
    handler.deadlines().add(clock.nanoTime() + 20 * MS);
    handler.run(new Loop(clock, 20 * MS));
    assertThat(delegate.waits.getLast()).isEqualTo(20 * MS); // sleeps to the deadline itself

    delegate.onWait = () -> clock.advance(delegate.waits.getLast(), TimeUnit.NANOSECONDS); // on time
    for (int i = 0; i < 200; i++) {
      chunk(handler, clock);
    }
    assertThat(handler.marginNanos()).isEqualTo(SpinMargin.MIN_NANOS);
    handler.deadlines().add(clock.nanoTime() + 20 * MS);
    handler.run(new Loop(clock, 20 * MS));
    assertThat(delegate.waits.getLast()).isLessThan(20 * MS); // wakes early again
  }

  @Test
  void pollingStopsWhenTheSecondsBudgetIsSpent() {
    MockTicker clock = Ticker.newMockTicker();
    Recording delegate = new Recording();
    EarlyWakeIoHandler handler = new EarlyWakeIoHandler(delegate, clock);
    long cost = handler.marginNanos() + PreciseDeadlines.GRACE_NANOS;
    long windows = 1_000 * MS * SpinMargin.BUDGET_PERCENT / 100 / cost;
    int polled = 0;
    for (int i = 0; i < windows + 5; i++) {
      long due = clock.nanoTime() + handler.marginNanos() / 2; // already inside the margin
      handler.deadlines().add(due);
      handler.run(new Loop(clock, handler.marginNanos() / 2));
      polled += delegate.asked.getLast().equals("poll") ? 1 : 0;
      clock.advance(cost + 1, TimeUnit.NANOSECONDS); // past the deadline and its grace
    }
    assertThat(polled).isEqualTo((int) windows);
  }

  /** One held chunk: its deadline 20 ms ahead, the loop's run, then the clock past its grace. */
  static void chunk(EarlyWakeIoHandler handler, MockTicker clock) {
    long due = clock.nanoTime() + 20 * MS;
    handler.deadlines().add(due);
    handler.run(new Loop(clock, 20 * MS));
    long past = due + PreciseDeadlines.GRACE_NANOS + 1 - clock.nanoTime();
    clock.advance(Math.max(0, past), TimeUnit.NANOSECONDS);
  }

  /** The loop's side: tasks due after {@code nextTask} ns, blocking allowed. */
  static final class Loop implements IoHandlerContext {
    final MockTicker clock;
    final long nextTask;
    final long start;

    Loop(MockTicker clock, long nextTask) {
      this.clock = clock;
      this.nextTask = nextTask;
      this.start = clock.nanoTime();
    }

    @Override
    public boolean canBlock() {
      return true;
    }

    @Override
    public long delayNanos(long currentTimeNanos) {
      return Math.max(0, start + nextTask - clock.nanoTime());
    }

    @Override
    public long deadlineNanos() {
      return start + nextTask;
    }
  }

  /** Records "poll" or "wait" for each run, and each wait's delay. */
  static final class Recording implements IoHandler {
    final List<String> asked = new ArrayList<>();
    final List<Long> waits = new ArrayList<>();
    Runnable onWait = () -> {};

    @Override
    public int run(IoHandlerContext context) {
      if (!context.canBlock()) {
        asked.add("poll");
      } else {
        asked.add("wait");
        waits.add(context.delayNanos(System.nanoTime()));
        onWait.run();
      }
      return 0;
    }

    @Override
    public IoRegistration register(IoHandle handle) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void wakeup() {}

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
      return false;
    }
  }
}
