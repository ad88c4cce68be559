package dev.porthole.routing.http;

import dev.porthole.checks.Check;
import dev.porthole.checks.CheckResult;
import dev.porthole.checks.CommandRunner;
import dev.porthole.checks.Diagnoser;
import dev.porthole.checks.Diagnosis;
import dev.porthole.checks.Target;
import dev.porthole.routing.Upstream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Returns {@code porthole check}'s diagnosis of an upstream that did not answer, computed off the
 * event loops (it reads /proc and may run getent): "nothing listens on 8080, but PID 4242 listens
 * on [::1]:8080 only".
 */
final class UpstreamDiagnosis implements AutoCloseable {
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(1);

  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

  /** Returns the diagnosis of {@code upstream}, or a plain one when the check finds it up now. */
  CompletableFuture<Diagnosis> diagnose(Upstream upstream, String failure) {
    return CompletableFuture.supplyAsync(() -> run(upstream, failure), executor);
  }

  private static Diagnosis run(Upstream upstream, String failure) {
    try {
      CommandRunner runner = CommandRunner.system(Duration.ofSeconds(2));
      Check check = new Check(STEP_TIMEOUT, runner, Diagnoser.system(runner, upstream.port()));
      CheckResult r = check.run(Target.parse(upstream.toString()));
      if (r.diagnosis() != null) {
        return r.diagnosis();
      }
      return new Diagnosis(
          null,
          upstream + " " + failure + ", but answers a check now",
          java.util.List.of(),
          "retry the request; if it keeps failing, look at the upstream's logs");
    } catch (RuntimeException e) {
      return new Diagnosis(
          null,
          upstream + " " + failure,
          java.util.List.of(e.getMessage()),
          "porthole check " + upstream);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
