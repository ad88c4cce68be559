package dev.porthole.checks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Returns when every target is up, or when the time is over: {@code porthole wait}.
 *
 * <p>Each target is polled on its own virtual thread. The pause between two attempts starts at 25
 * ms and doubles up to {@code interval}, so a service that comes up quickly is seen quickly and a
 * slow one is never hammered (dockerize's old bug was a busy loop). Each attempt may take at most
 * {@code min(2 s, time left)} per step.
 */
public final class Waiter {
  private static final Duration FIRST_PAUSE = Duration.ofMillis(25);
  private static final Duration MAX_ATTEMPT = Duration.ofSeconds(2);

  private final Duration timeout;
  private final Duration interval;
  private final Integer status;
  // No getent per attempt: the JVM's resolver is what a poll needs; diagnoses come later.
  private static final CommandRunner NO_COMMANDS =
      command -> new CommandRunner.Output(127, "", "not run while waiting");
  private final Progress progress;

  /** Returns progress as it happens: called after every attempt, from any thread. */
  @FunctionalInterface
  public interface Progress {
    void attempted(TargetState state);
  }

  /**
   * Returns where one target stands.
   *
   * @param target the target as given
   * @param up whether it is up (and answered the expected status)
   * @param attempts how many attempts were made
   * @param last the last attempt's observation
   * @param why why the last attempt did not count, or null
   */
  public record TargetState(
      String target, boolean up, int attempts, Observation last, String why) {}

  /**
   * Returns a waiter.
   *
   * @param timeout how long to wait for all targets, &gt; 0
   * @param interval the longest pause between two attempts on one target, &gt; 0
   * @param status the HTTP status an http(s) target must answer, or null for any
   */
  public Waiter(Duration timeout, Duration interval, Integer status, Progress progress) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval: " + interval + " (expected: > 0)");
    }
    this.timeout = timeout;
    this.interval = interval;
    this.status = status;
    this.progress = progress;
  }

  /** Returns the final state of every target, in the order given. */
  public List<TargetState> await(List<Target> targets) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<TargetState>> futures = new ArrayList<>();
      for (Target t : targets) {
        futures.add(pool.submit(() -> poll(t, deadline)));
      }
      List<TargetState> states = new ArrayList<>();
      for (Future<TargetState> f : futures) {
        try {
          states.add(f.get());
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException(
              "wait failed: " + e.getCause().getMessage(), e.getCause());
        }
      }
      return states;
    }
  }

  private TargetState poll(Target target, long deadline) throws InterruptedException {
    Duration pause = FIRST_PAUSE.compareTo(interval) < 0 ? FIRST_PAUSE : interval;
    int attempts = 0;
    while (true) {
      long left = deadline - System.nanoTime();
      Duration stepTimeout =
          Duration.ofNanos(
              Math.max(Duration.ofMillis(1).toNanos(), Math.min(left, MAX_ATTEMPT.toNanos())));
      Observation o = new Check(stepTimeout, NO_COMMANDS, null).observe(target);
      attempts++;
      String why = why(target, o);
      TargetState state = new TargetState(target.text(), why == null, attempts, o, why);
      progress.attempted(state);
      left = deadline - System.nanoTime();
      if (state.up() || left <= 0) {
        return state;
      }
      Thread.sleep(Math.min(pause.toMillis(), Math.max(1, left / 1_000_000)));
      Duration doubled = pause.multipliedBy(2);
      pause = doubled.compareTo(interval) < 0 ? doubled : interval;
    }
  }

  private String why(Target target, Observation o) {
    if (!o.up()) {
      return o.error() == null ? o.failure().name() : o.error();
    }
    if (status != null
        && target.scheme().http()
        && o.http() != null
        && o.http().status() != status) {
      return "answered " + o.http().status() + ", expected " + status;
    }
    return null;
  }
}
