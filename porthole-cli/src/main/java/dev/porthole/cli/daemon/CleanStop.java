package dev.porthole.cli.daemon;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * A stop request from SIGTERM or Ctrl-C (SIGINT) for a command that runs in the foreground.
 *
 * <p>With only a shutdown hook, the JVM exits 143 (or 130) after a clean stop, and scripts and
 * service managers read that as a failure. While one of these is open, the two signals only count
 * down a latch: the command stops its work itself, returns, and exits 0. Closing it puts the
 * previous handlers back, so a second signal after the stop ends the JVM as usual.
 */
public final class CleanStop implements AutoCloseable {
  private static final String[] SIGNALS = {"TERM", "INT"};

  private final CountDownLatch requested = new CountDownLatch(1);
  private final List<Signal> signals = new ArrayList<>();
  private final List<SignalHandler> previous = new ArrayList<>();

  private CleanStop() {}

  /** Returns a stop request that SIGTERM and SIGINT fulfil from now until {@link #close}. */
  public static CleanStop install() {
    CleanStop stop = new CleanStop();
    for (String name : SIGNALS) {
      try {
        Signal signal = new Signal(name);
        SignalHandler old = Signal.handle(signal, s -> stop.requested.countDown());
        stop.signals.add(signal);
        stop.previous.add(old);
      } catch (IllegalArgumentException e) {
        // The JVM keeps this signal (e.g. -Xrs): the shutdown hook path still stops cleanly.
      }
    }
    return stop;
  }

  /** Waits until a signal asks to stop. */
  public void await() throws InterruptedException {
    requested.await();
  }

  /** Waits until a signal asks to stop or {@code millis} pass; returns true when asked. */
  public boolean await(long millis) throws InterruptedException {
    return requested.await(millis, TimeUnit.MILLISECONDS);
  }

  /** Asks to stop, as a signal would (for embedding code and shutdown hooks). */
  public void request() {
    requested.countDown();
  }

  @Override
  public void close() {
    for (int i = 0; i < signals.size(); i++) {
      Signal.handle(signals.get(i), previous.get(i));
    }
    signals.clear();
    previous.clear();
  }
}
