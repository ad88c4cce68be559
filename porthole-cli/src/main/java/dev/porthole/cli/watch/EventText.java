package dev.porthole.cli.watch;

import dev.porthole.cli.output.Terminal;
import dev.porthole.watch.ProcessDetails;
import dev.porthole.watch.WatchEvent;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.stream.Collectors;

/** Returns watch events as text for people: one line each, and the process in detail. */
public final class EventText {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  private EventText() {}

  /** Returns the event's time in local time, "2026-11-21 23:30:01". */
  static String time(WatchEvent e) {
    return TIME.format(Instant.parse(e.time()));
  }

  /** Prints the event line and, for a listener with a known process, the details to research it. */
  static void print(PrintWriter out, Terminal t, WatchEvent e) {
    String type = String.format("%-15s", e.type());
    type = e.alert() ? t.red(type) : e.type().equals("closed") ? t.dim(type) : t.cyan(type);
    out.println(time(e) + "  " + type + " " + e.message());
    ProcessDetails p = e.process();
    if (p != null && !e.type().equals("closed")) {
      String pad = " ".repeat(21);
      out.println(
          pad
              + "process  "
              + p.label()
              + ", user "
              + p.user()
              + (p.startTime() == null ? "" : ", started " + p.startTime()));
      out.println(
          pad
              + "exe      "
              + (p.exe() == null ? "? (not readable; try sudo)" : p.exe())
              + (p.sha256() == null ? "" : " sha256:" + p.sha256()));
      out.println(pad + "command  " + p.commandLine());
      if (p.cwd() != null) {
        out.println(pad + "cwd      " + p.cwd());
      }
      if (!p.parents().isEmpty()) {
        out.println(
            pad
                + "parents  "
                + p.parents().stream()
                    .map(x -> x.name() + " (" + x.pid() + ")")
                    .collect(Collectors.joining(" < ")));
      }
      if (e.previous() != null) {
        out.println(pad + "before   " + e.previous().label() + " " + e.previous().exe());
      }
      if (e.action() != null) {
        out.println(pad + "action   " + e.action());
      }
    }
    out.flush();
  }
}
