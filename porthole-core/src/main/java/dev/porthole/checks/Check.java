package dev.porthole.checks;

import java.time.Duration;

/**
 * Returns the result of checking one target: the steps on the wire, then a diagnosis when it is
 * down.
 *
 * <pre>{@code
 * Check check = new Check(Duration.ofSeconds(3), CommandRunner.system(Duration.ofSeconds(2)), diagnoser);
 * CheckResult r = check.run(Target.parse("localhost:8080"));
 * }</pre>
 */
public final class Check {
  private final Probe probe;
  private final Diagnoser diagnoser;

  /**
   * Returns a check.
   *
   * @param timeout how long each step may take (connect per address, handshake, first byte)
   * @param runner runs getent for the system resolver's view
   * @param diagnoser joins a failure with the system's state; null skips diagnoses (wait does)
   */
  public Check(Duration timeout, CommandRunner runner, Diagnoser diagnoser) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
    }
    this.probe = new Probe((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()), runner);
    this.diagnoser = diagnoser;
  }

  /** Returns the raw observation, without a diagnosis (cheap: for {@code wait}'s polling). */
  public Observation observe(Target target) {
    return probe.run(target);
  }

  /** Returns the full result: steps, TLS, HTTP, and the diagnosis when down. */
  public CheckResult run(Target target) {
    long t0 = System.nanoTime();
    Observation o = probe.run(target);
    return result(o, Step.since(t0));
  }

  /** Returns the result for an observation already made. */
  public CheckResult result(Observation o, double totalMillis) {
    return new CheckResult(
        o.target().text(),
        o.up(),
        o.steps(),
        totalMillis,
        o.attempts().stream().map(Attempt::address).toList(),
        o.connectedAddress(),
        o.tls(),
        o.http(),
        diagnoser == null ? null : diagnoser.diagnose(o),
        diagnoser == null ? java.util.List.of() : diagnoser.warnings(o),
        diagnoser == null ? null : diagnoser.publication(o));
  }
}
