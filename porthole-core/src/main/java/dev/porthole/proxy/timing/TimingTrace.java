package dev.porthole.proxy.timing;

import io.netty.util.concurrent.Ticker;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bench-only record of every chunk a delaying toxic held: when the loop read it, when it was due,
 * when the toxic released it and when its write returned. On with {@code
 * -Dporthole.proxy.timing.trace=FILE}; the file is written when the JVM exits, one line per event,
 * in {@code CLOCK_MONOTONIC} nanoseconds (what {@code perf -k mono} and {@link System#nanoTime}
 * use), so a kernel trace of the same run lines up with it. Off, every call is a test of a constant
 * that the JIT folds away.
 *
 * <pre>
 * held READ DUE PORT        the source channel's remote port tells the direction
 * sent DUE RELEASED WRITTEN
 * </pre>
 */
public final class TimingTrace {
  private static final String FILE = System.getProperty("porthole.proxy.timing.trace");

  /** Returns whether tracing is on (the property is set). */
  public static final boolean ON = FILE != null;

  // A fixed buffer: a bench of minutes holds well under this many chunks; later ones are dropped.
  private static final int MAX = 1 << 20;
  private static final long[] EVENTS = ON ? new long[MAX * 4] : null;
  private static final AtomicInteger NEXT = new AtomicInteger();

  static {
    if (ON) {
      Runtime.getRuntime().addShutdownHook(new Thread(TimingTrace::write, "timing-trace"));
    }
  }

  private TimingTrace() {}

  /**
   * Records a chunk read at {@code readNanos} and due at {@code dueNanos} (ticker time) from a
   * source whose remote port is {@code port}.
   */
  public static void held(long readNanos, long dueNanos, int port) {
    add(1, readNanos, dueNanos, port);
  }

  /** Records a chunk due at {@code dueNanos}, released and written at the times given (ticker). */
  public static void sent(long dueNanos, long releasedNanos, long writtenNanos) {
    add(2, dueNanos, releasedNanos, writtenNanos);
  }

  private static void add(long kind, long a, long b, long c) {
    int i = NEXT.getAndIncrement();
    if (i < MAX) {
      EVENTS[4 * i] = kind;
      EVENTS[4 * i + 1] = a;
      EVENTS[4 * i + 2] = b;
      EVENTS[4 * i + 3] = c;
    }
  }

  private static void write() {
    // The ticker counts from its own start: shift every time onto System.nanoTime's clock.
    long shift = System.nanoTime() - Ticker.systemTicker().nanoTime();
    int n = Math.min(NEXT.get(), MAX);
    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(FILE)))) {
      for (int i = 0; i < n; i++) {
        long kind = EVENTS[4 * i];
        long a = EVENTS[4 * i + 1] + shift;
        long b = EVENTS[4 * i + 2] + shift;
        long c = EVENTS[4 * i + 3];
        out.println(
            kind == 1
                ? "held " + a + " " + b + " " + c
                : "sent " + a + " " + b + " " + (c + shift));
      }
    } catch (IOException e) {
      System.err.println("timing trace: " + FILE + ": " + e.getMessage());
    }
  }
}
