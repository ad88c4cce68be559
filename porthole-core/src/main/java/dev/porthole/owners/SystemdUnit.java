package dev.porthole.owners;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.porthole.checks.CommandRunner;
import dev.porthole.sockets.ProcFiles;
import dev.porthole.watch.ProcessDetails;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The systemd unit that ran a process, and what systemd says about it. The unit comes from the
 * process's cgroup: read from {@code /proc/PID/cgroup} while it lives, else the one the watch
 * recorded, else the journal's {@code _SYSTEMD_USER_UNIT}/{@code _SYSTEMD_UNIT} for that pid. A
 * unit of a user manager (under {@code user@UID.service} or one of its slices) is asked with {@code
 * --user}: {@code systemctl show} (state, result, exit status) and the last lines of {@code
 * journalctl -u}. Says nothing where no unit is found.
 */
final class SystemdUnit {
  private static final int JOURNAL_LINES = 5;
  private static final List<String> JOURNAL_DIRS = List.of("/run/log/journal", "/var/log/journal");
  private static final List<String> PROPERTIES =
      List.of("LoadState", "ActiveState", "SubState", "Result", "ExecMainCode", "ExecMainStatus");

  private final CommandRunner runner;

  SystemdUnit(CommandRunner runner) {
    this.runner = runner;
  }

  /** Returns lines about {@code owner}'s unit; {@code alive} when its pid is still that process. */
  List<String> describe(ProcessDetails owner, boolean alive) {
    String cgroup =
        alive ? ProcFiles.cgroup(Path.of("/proc", Integer.toString(owner.pid()))) : owner.cgroup();
    Unit unit = cgroup == null ? null : Unit.fromCgroup(cgroup);
    if (unit == null && !alive) {
      unit = fromJournal(owner.pid());
    }
    if (unit == null) {
      return List.of();
    }
    List<String> lines = new ArrayList<>();
    lines.add(state(unit));
    lines.addAll(journal(unit));
    return lines;
  }

  private String state(Unit unit) {
    List<String> command = new ArrayList<>(unit.command("systemctl", "show", unit.name()));
    PROPERTIES.forEach(p -> command.addAll(List.of("-p", p)));
    CommandRunner.Output show = runner.run(command);
    String label = "systemd " + (unit.user() ? "user unit " : "unit ") + unit.name();
    String status = "see: " + String.join(" ", unit.command("systemctl", "status", unit.name()));
    if (!show.ok()) {
      String shown = String.join(" ", unit.command("systemctl", "show", unit.name()));
      return label
          + " (from its cgroup); "
          + shown
          + " failed: "
          + firstLine(show.stderr(), "exit code " + show.exitCode());
    }
    Map<String, String> p = new HashMap<>();
    show.stdout()
        .lines()
        .filter(l -> l.contains("="))
        .forEach(l -> p.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
    if ("not-found".equals(p.get("LoadState"))) {
      return label + " is no longer loaded in its manager";
    }
    String text = label + ": " + p.get("ActiveState") + " (" + p.get("SubState") + ")";
    if (p.get("Result") != null && !p.get("Result").isEmpty()) {
      text += ", result " + p.get("Result");
    }
    // ExecMainCode is the kernel's CLD_* code: 1 exited, 2 killed, 3 dumped core; 0 none yet.
    String code = p.getOrDefault("ExecMainCode", "0");
    String value = p.getOrDefault("ExecMainStatus", "0");
    if (code.equals("1")) {
      text += ", main process exit status " + value;
    } else if (code.equals("2") || code.equals("3")) {
      text += ", main process killed by signal " + value;
    }
    return text + "; " + status;
  }

  private List<String> journal(Unit unit) {
    List<String> command =
        unit.command(
            "journalctl",
            "-u",
            unit.name(),
            "-n",
            Integer.toString(JOURNAL_LINES),
            "--no-pager",
            "-o",
            "cat");
    CommandRunner.Output out = runner.run(command);
    List<String> lines =
        out.ok()
            ? out.stdout().lines().filter(l -> !l.isBlank()).map(l -> "journal: " + l).toList()
            : List.of();
    if (!lines.isEmpty()) {
      return lines;
    }
    // Say so rather than print nothing: a user manager often has no journald to log to.
    String shown = String.join(" ", command.subList(0, command.indexOf("-n")));
    String why =
        !out.stderr().isBlank()
            ? firstLine(out.stderr(), "")
            : !out.ok()
                ? "exit code " + out.exitCode()
                : anyJournalFile()
                    ? "the journal holds none for it"
                    : "no journald keeps a journal here: "
                        + String.join(" and ", JOURNAL_DIRS)
                        + " hold no journal files";
    return List.of("no journal lines: " + shown + " printed none (" + why + ")");
  }

  /** Returns true when a journald has written a journal file (system or user) on this machine. */
  private static boolean anyJournalFile() {
    for (String dir : JOURNAL_DIRS) {
      try (Stream<Path> files =
          Files.find(Path.of(dir), 2, (f, a) -> f.toString().endsWith(".journal"))) {
        if (files.findAny().isPresent()) {
          return true;
        }
      } catch (IOException | UncheckedIOException e) {
        // not there or not readable: no journal from that folder
      }
    }
    return false;
  }

  private Unit fromJournal(int pid) {
    CommandRunner.Output out =
        runner.run(List.of("journalctl", "_PID=" + pid, "-n", "1", "-o", "json", "--no-pager"));
    if (!out.ok() || out.stdout().isBlank()) {
      return null;
    }
    try {
      JsonNode n = new ObjectMapper().readTree(out.stdout().lines().findFirst().orElse("{}"));
      String user = n.path("_SYSTEMD_USER_UNIT").asText(null);
      if (user != null && user.endsWith(".service")) {
        return new Unit(user, true);
      }
      String unit = n.path("_SYSTEMD_UNIT").asText(null);
      return unit != null && unit.endsWith(".service") ? new Unit(unit, false) : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static String firstLine(String text, String otherwise) {
    return text == null || text.isBlank() ? otherwise : text.strip().lines().findFirst().get();
  }

  /**
   * A service unit, and whether a user manager runs it.
   *
   * @param user true for a unit of {@code systemd --user}, asked with {@code --user}
   */
  record Unit(String name, boolean user) {
    private static final List<String> USER_SLICES =
        List.of("app.slice", "session.slice", "background.slice");

    /**
     * Returns the innermost {@code .service} of a cgroup path, or null. It is a user manager's when
     * an outer segment is {@code user@UID.service} or a slice only user managers make; a user
     * manager started outside {@code user@.service} (a test's) puts its units in those slices at
     * its own root.
     */
    static Unit fromCgroup(String path) {
      String name = null;
      boolean user = false;
      for (String segment : path.split("/")) {
        if (segment.matches("user@\\d+\\.service") || USER_SLICES.contains(segment)) {
          user = true;
        }
        if (segment.endsWith(".service")) {
          name = segment;
        }
      }
      return name == null ? null : new Unit(name, user && !name.matches("user@\\d+\\.service"));
    }

    List<String> command(String tool, String... args) {
      List<String> all = new ArrayList<>(List.of(tool));
      if (user) {
        all.add("--user");
      }
      all.addAll(List.of(args));
      return all;
    }
  }
}
