package dev.porthole.ports;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * Returns how many connects one scan worker may have in flight: lowered to three quarters of what
 * is in flight when the system runs short of file descriptors or local ports, with a note saying
 * so, so that the port is tried again later instead of failing the scan.
 */
final class Throttle {
  static final int MIN = 8;
  private static final int MAX_STARVED = 500;
  private static final long STARVED_PAUSE_MILLIS = 10;

  private final IntSupplier done;
  private final List<String> notes = new ArrayList<>();
  private int limit;
  private int starved;
  private int doneWhenStarved = -1;

  /**
   * @param limit the most connects in flight to start with
   * @param done how many ports the whole scan (every worker) has settled so far
   */
  Throttle(int limit, IntSupplier done) {
    this.limit = limit;
    this.done = done;
  }

  int limit() {
    return limit;
  }

  List<String> notes() {
    return notes;
  }

  /** Records that a port was settled: the scan is moving. */
  void progressed() {
    starved = 0;
  }

  /**
   * Lowers the limit after a shortage of {@code what} ("file descriptors", "local ports").
   *
   * <p>With nothing of ours in flight, another worker (or process) holds the descriptors: this
   * waits a little for them to be freed, and gives up only when the whole scan stops moving, since
   * the other workers refill as soon as a descriptor frees and may win many rounds.
   *
   * @throws IllegalStateException when no socket could be opened for a long while
   */
  void shortOf(String what, String why, int inFlight) {
    int reduced = Math.max(MIN, inFlight * 3 / 4);
    if (reduced < limit) {
      notes.add("short of " + what + " (" + why + "): concurrency " + limit + " -> " + reduced);
      limit = reduced;
    }
    if (inFlight > 0) {
      return;
    }
    int now = done.getAsInt();
    if (now != doneWhenStarved) {
      doneWhenStarved = now;
      starved = 0;
    }
    if (++starved > MAX_STARVED) {
      throw new IllegalStateException("cannot open a socket at all: " + why);
    }
    try {
      Thread.sleep(STARVED_PAUSE_MILLIS);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("scan interrupted", interrupted);
    }
  }
}
