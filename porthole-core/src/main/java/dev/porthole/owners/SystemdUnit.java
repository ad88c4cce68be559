package dev.porthole.owners;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.porthole.checks.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Returns the systemd unit that ran a process and what systemd says about it: the unit from {@code
 * /proc/PID/cgroup} while the process lives, else from the journal's {@code _SYSTEMD_UNIT} for that
 * pid; then {@code systemctl show} (state, result, exit status) and the last lines of {@code
 * journalctl -u}. Says nothing where systemd is not there.
 */
final class SystemdUnit {
  private static final Pattern UNIT = Pattern.compile("/([^/]+\\.service)(?:/|$)");
  private static final int JOURNAL_LINES = 5;

  private final CommandRunner runner;

  SystemdUnit(CommandRunner runner) {
    this.runner = runner;
  }

  /** Returns lines about {@code pid}'s unit; {@code alive} when the pid is still that process. */
  List<String> describe(int pid, boolean alive) {
    String unit = alive ? fromCgroup(pid) : fromJournal(pid);
    if (unit == null) {
      return List.of();
    }
    List<String> lines = new ArrayList<>();
    CommandRunner.Output show =
        runner.run(
            List.of(
                "systemctl",
                "show",
                unit,
                "-p",
                "ActiveState",
                "-p",
                "SubState",
                "-p",
                "Result",
                "-p",
                "ExecMainStatus"));
    lines.add(
        "systemd unit "
            + unit
            + (show.ok() ? ": " + String.join(", ", show.stdout().strip().lines().toList()) : ""));
    CommandRunner.Output journal =
        runner.run(
            List.of(
                "journalctl",
                "-u",
                unit,
                "-n",
                Integer.toString(JOURNAL_LINES),
                "--no-pager",
                "-o",
                "cat"));
    if (journal.ok()) {
      journal.stdout().lines().filter(l -> !l.isBlank()).forEach(l -> lines.add("journal: " + l));
    }
    return lines;
  }

  private static String fromCgroup(int pid) {
    try {
      Matcher m = UNIT.matcher(Files.readString(Path.of("/proc/" + pid + "/cgroup")));
      String unit = null;
      while (m.find()) {
        unit = m.group(1); // the innermost .service
      }
      return unit;
    } catch (IOException e) {
      return null;
    }
  }

  private String fromJournal(int pid) {
    CommandRunner.Output out =
        runner.run(List.of("journalctl", "_PID=" + pid, "-n", "1", "-o", "json", "--no-pager"));
    if (!out.ok() || out.stdout().isBlank()) {
      return null;
    }
    try {
      JsonNode n = new ObjectMapper().readTree(out.stdout().lines().findFirst().orElse("{}"));
      String unit = n.path("_SYSTEMD_UNIT").asText(null);
      return unit != null && unit.endsWith(".service") ? unit : null;
    } catch (IOException e) {
      return null;
    }
  }
}
