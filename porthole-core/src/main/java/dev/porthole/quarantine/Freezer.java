package dev.porthole.quarantine;

import dev.porthole.checks.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Freezes and thaws a process with SIGSTOP and SIGCONT: a stopped process keeps its memory, files
 * and sockets, so it can be studied (gdb, /proc) and then let go unharmed.
 */
public final class Freezer {
  private final CommandRunner runner;

  public Freezer(CommandRunner runner) {
    this.runner = runner;
  }

  /** Sends SIGSTOP; returns null when sent, else why not. */
  public String freeze(int pid) {
    return send("STOP", pid);
  }

  /** Sends SIGCONT; returns null when sent, else why not. */
  public String thaw(int pid) {
    return send("CONT", pid);
  }

  private String send(String signal, int pid) {
    CommandRunner.Output out = runner.run(List.of("kill", "-s", signal, Integer.toString(pid)));
    return out.ok() ? null : "kill -s " + signal + " " + pid + ": " + out.stderr().strip();
  }

  /** Returns the state letter of {@code /proc/PID/stat} (R, S, T, Z...), or '?' when gone. */
  public static char state(int pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      int close = stat.lastIndexOf(')');
      return close > 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : '?';
    } catch (IOException e) {
      return '?';
    }
  }

  /** Returns the start time in ticks (field 22 of /proc/PID/stat), or -1 when gone. */
  public static long startTicks(int pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[19]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
