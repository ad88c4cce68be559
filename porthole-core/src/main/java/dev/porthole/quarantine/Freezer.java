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

  /** How long {@link #freeze} waits for the kernel to stop a process it signalled. */
  private static final long STOP_WAIT_NANOS = 2_000_000_000L;

  /**
   * Sends SIGSTOP and waits (at most 2 s) until the process is stopped; returns null when it is,
   * else why not. The signal is delivered when the process is next scheduled, so without the wait
   * a caller that reads its state at once (the watch's event, the CLI's answer) could see it run.
   */
  public String freeze(int pid) {
    String failed = send("STOP", pid);
    if (failed != null) {
      return failed;
    }
    long deadline = System.nanoTime() + STOP_WAIT_NANOS;
    while (true) {
      char state = state(pid);
      if (state == 'T' || state == 't' || state == 'Z' || state == '?') {
        return null;
      }
      if (System.nanoTime() > deadline) {
        return "kill -s STOP " + pid + ": still in state " + state + " after 2 s";
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "interrupted while waiting for " + pid + " to stop";
      }
    }
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
