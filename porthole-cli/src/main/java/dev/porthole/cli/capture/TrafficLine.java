package dev.porthole.cli.capture;

import dev.porthole.capture.CaptureFeed;
import dev.porthole.cli.output.Terminal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Formats one line of traffic, the same for {@code porthole tail} and {@code porthole proxy
 * --http}: time, proxy, client, request line (or the connection's kind and end), status, size,
 * duration. Columns have fixed widths so lines that follow each other stay aligned.
 */
final class TrafficLine {
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
  private static final int REQUEST_WIDTH = 44;

  private TrafficLine() {}

  /** Returns the line for {@code e}, coloured by status when the terminal allows. */
  static String format(CaptureFeed.Event e, Terminal t) {
    String what;
    String status;
    if ("request".equals(e.type())) {
      what = e.method() + " " + e.target();
      status = e.status() == 0 ? "---" : Integer.toString(e.status());
      if (e.status() >= 500 || e.status() == 0) {
        status = t.red(status);
      } else if (e.status() >= 400) {
        status = t.yellow(status);
      } else {
        status = t.green(status);
      }
    } else if ("frame".equals(e.type())) {
      // "→" the client sent it, "←" the server did; the preview on one line.
      String arrow = "send".equals(e.direction()) ? "→" : "←";
      String preview = e.target() == null ? "" : e.target().replaceAll("\\s+", " ");
      what = "ws " + arrow + " " + e.method() + " " + preview;
      status = "";
    } else {
      what = "[" + e.kind() + " connection #" + e.connection() + "]";
      status = e.end() == null ? "" : e.end();
    }
    if (what.length() > REQUEST_WIDTH) {
      what = what.substring(0, REQUEST_WIDTH - 1) + "…";
    }
    return String.format(
        "%s  %-10s %-21s %-" + REQUEST_WIDTH + "s %s %9s %10s",
        CLOCK.format(Instant.ofEpochMilli(e.timeMillis())),
        e.proxy(),
        e.client(),
        what,
        pad(status, Terminal.width(status), 10),
        size(e.bytes()),
        e.millis() < 0 ? "-" : String.format("%.1f ms", e.millis()));
  }

  private static String pad(String s, int width, int to) {
    return width >= to ? s : s + " ".repeat(to - width);
  }

  /** Returns a byte count for people: 512 B, 1.5 KB, 3.2 MB. */
  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return String.format("%.1f KB", bytes / 1024.0);
    }
    return String.format("%.1f MB", bytes / (1024.0 * 1024));
  }
}
