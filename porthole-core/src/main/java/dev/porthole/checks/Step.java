package dev.porthole.checks;

/**
 * Returns one step of a check (resolve, connect, tls, request, first-byte) and how long it took.
 *
 * @param name the step's stable name, as in JSON
 * @param ok whether the step succeeded
 * @param millis the time it took, in milliseconds
 * @param detail one line saying what happened ("127.0.0.1 ok, ::1 refused")
 */
public record Step(String name, boolean ok, double millis, String detail) {

  static Step ok(String name, long startNanos, String detail) {
    return new Step(name, true, since(startNanos), detail);
  }

  static Step failed(String name, long startNanos, String detail) {
    return new Step(name, false, since(startNanos), detail);
  }

  static double since(long startNanos) {
    return Math.round((System.nanoTime() - startNanos) / 10_000.0) / 100.0;
  }
}
