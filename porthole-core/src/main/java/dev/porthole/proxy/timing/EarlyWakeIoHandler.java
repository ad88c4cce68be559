package dev.porthole.proxy.timing;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.util.concurrent.Ticker;

/**
 * An event loop's I/O handler (epoll or NIO) that meets {@link PreciseDeadlines}: it sleeps until a
 * margin before the next precise deadline, then polls for I/O without blocking until the deadline
 * passes, so the scheduled task runs on time instead of one thread wake-up late (100–300 µs on an
 * idle virtual CPU, milliseconds on a busy one). Everything else is the wrapped handler's.
 *
 * <pre>
 * new MultiThreadIoEventLoopGroup(threads, EarlyWakeIoHandler.wrap(EpollIoHandler.newFactory()))
 * </pre>
 */
public final class EarlyWakeIoHandler implements IoHandler {
  /**
   * Returns what one run of the loop's I/O does: as asked, a non-blocking poll, or an early wait.
   */
  enum Step {
    AS_ASKED,
    POLL,
    WAIT_EARLY
  }

  private final IoHandler delegate;
  private final Ticker ticker;
  private final PreciseDeadlines deadlines = new PreciseDeadlines();
  private final SpinMargin margin = new SpinMargin();
  private final EarlyContext early;
  private long pollingFor = Long.MIN_VALUE;

  EarlyWakeIoHandler(IoHandler delegate, Ticker ticker) {
    this.delegate = delegate;
    this.ticker = ticker;
    this.early = new EarlyContext(ticker);
  }

  /** Returns a factory of handlers that wrap {@code factory}'s. */
  public static IoHandlerFactory wrap(IoHandlerFactory factory) {
    return executor -> new EarlyWakeIoHandler(factory.newHandler(executor), Ticker.systemTicker());
  }

  /**
   * Returns the step for a loop that may block, at {@code now}, whose next task is due in {@code
   * delayNanos} and whose next precise deadline is {@code precise} (ticker ns; Long.MAX_VALUE:
   * none): poll once inside the margin, wait for the margin's start when it comes before the next
   * task, and otherwise as asked.
   */
  static Step step(long now, long delayNanos, long precise, long marginNanos) {
    if (precise == Long.MAX_VALUE) {
      return Step.AS_ASKED;
    }
    long left = precise - now;
    if (left <= marginNanos) {
      return Step.POLL;
    }
    return left - marginNanos < delayNanos ? Step.WAIT_EARLY : Step.AS_ASKED;
  }

  /** Returns the deadlines this handler meets (tests add to them directly). */
  PreciseDeadlines deadlines() {
    return deadlines;
  }

  /** Returns the current margin in nanoseconds (tests). */
  long marginNanos() {
    return margin.nanos();
  }

  @Override
  public void initialize() {
    deadlines.bindToCurrentThread();
    delegate.initialize();
  }

  @Override
  public int run(IoHandlerContext context) {
    if (!context.canBlock()) {
      return delegate.run(context);
    }
    long now = ticker.nanoTime();
    long precise = deadlines.next(now);
    long marginNanos = margin.nanos();
    Step step =
        margin.busy()
            ? Step.AS_ASKED
            : step(now, context.delayNanos(System.nanoTime()), precise, marginNanos);
    if (step == Step.POLL && (precise == pollingFor || margin.charge(now))) {
      pollingFor = precise; // charged once for the deadline, however many polls it takes
      return delegate.run(early.poll(context));
    }
    long wakeAt = step == Step.WAIT_EARLY ? precise - marginNanos : precise;
    int handled =
        step == Step.WAIT_EARLY
            ? delegate.run(early.until(context, wakeAt))
            : delegate.run(context);
    if (handled == 0 && wakeAt > now && precise != Long.MAX_VALUE) {
      long after = ticker.nanoTime();
      if (after >= wakeAt) {
        margin.late(after - wakeAt); // woken by the timer: how late it came
      }
    }
    return handled;
  }

  @Override
  public void prepareToDestroy() {
    delegate.prepareToDestroy();
  }

  @Override
  public void destroy() {
    delegate.destroy();
  }

  @Override
  public IoRegistration register(IoHandle handle) throws Exception {
    return delegate.register(handle);
  }

  @Override
  public void wakeup() {
    delegate.wakeup();
  }

  @Override
  public boolean isCompatible(Class<? extends IoHandle> handleType) {
    return delegate.isCompatible(handleType);
  }

  /** The loop's context with either no blocking at all or an earlier deadline. */
  private static final class EarlyContext implements IoHandlerContext {
    private IoHandlerContext loop;
    private boolean poll;
    private final Ticker ticker;
    private long deadlineNanos;

    EarlyContext(Ticker ticker) {
      this.ticker = ticker;
    }

    EarlyContext poll(IoHandlerContext loop) {
      this.loop = loop;
      this.poll = true;
      return this;
    }

    EarlyContext until(IoHandlerContext loop, long wakeAt) {
      this.loop = loop;
      this.poll = false;
      this.deadlineNanos = wakeAt;
      return this;
    }

    @Override
    public boolean canBlock() {
      return !poll && loop.canBlock();
    }

    @Override
    public long delayNanos(long currentTimeNanos) {
      // The loop's ticker is the system's: the same clock as the argument, read here.
      return Math.max(0, deadlineNanos - ticker.nanoTime());
    }

    @Override
    public long deadlineNanos() {
      return deadlineNanos;
    }

    @Override
    public void reportActiveIoTime(long activeNanos) {
      loop.reportActiveIoTime(activeNanos);
    }

    @Override
    public boolean shouldReportActiveIoTime() {
      return loop.shouldReportActiveIoTime();
    }
  }
}
