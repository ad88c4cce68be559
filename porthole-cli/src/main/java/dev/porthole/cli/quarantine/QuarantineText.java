package dev.porthole.cli.quarantine;

import dev.porthole.watch.ProcessDetails;
import java.io.PrintWriter;
import java.util.List;

/** Prints a process in the detail a person needs before freezing it. */
final class QuarantineText {
  private QuarantineText() {}

  static void details(PrintWriter out, ProcessDetails d, List<String> ports) {
    out.println("Process " + d.label());
    line(out, "executable", d.exe());
    line(out, "sha256", d.sha256());
    line(out, "command", d.commandLine());
    ProcessDetails.Parent parent = d.parents().isEmpty() ? null : d.parents().get(0);
    line(
        out,
        "parent",
        parent == null ? "PID " + d.ppid() : parent.name() + " (PID " + parent.pid() + ")");
    line(out, "user", d.user() + " (uid " + d.uid() + ")");
    line(out, "started", d.startTime());
    line(out, "listens", ports.isEmpty() ? "nothing" : String.join(", ", ports));
    out.flush();
  }

  private static void line(PrintWriter out, String label, String value) {
    out.printf("  %-11s %s%n", label, value == null ? "? (not readable)" : value);
  }
}
