package dev.porthole.junit5;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** Runs inner test classes on the Jupiter engine, as junit-pioneer's PioneerTestKit does. */
final class Kit {
  private Kit() {}

  static EngineExecutionResults run(Class<?>... classes) {
    return run(Map.of(), classes);
  }

  static EngineExecutionResults parallel(int threads, Class<?>... classes) {
    return run(
        Map.of(
            "junit.jupiter.execution.parallel.enabled", "true",
            "junit.jupiter.execution.parallel.mode.default", "concurrent",
            "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
            "junit.jupiter.execution.parallel.config.strategy", "fixed",
            "junit.jupiter.execution.parallel.config.fixed.parallelism", Integer.toString(threads)),
        classes);
  }

  private static EngineExecutionResults run(Map<String, String> config, Class<?>... classes) {
    return EngineTestKit.engine("junit-jupiter")
        .configurationParameters(config)
        .selectors(
            Arrays.stream(classes)
                .map(c -> selectClass(c))
                .toArray(s -> new org.junit.platform.engine.DiscoverySelector[s]))
        .execute();
  }

  /** Returns the messages of every failed test and container, to assert on or to show. */
  static List<String> failures(EngineExecutionResults results) {
    return results.allEvents().failed().stream()
        .map(Event::getPayload)
        .map(
            p ->
                p.flatMap(
                        o ->
                            o instanceof org.junit.platform.engine.TestExecutionResult r
                                ? r.getThrowable()
                                : java.util.Optional.empty())
                    .map(Throwable::getMessage)
                    .orElse("?"))
        .toList();
  }
}
