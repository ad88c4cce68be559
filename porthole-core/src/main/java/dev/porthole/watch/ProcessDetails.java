package dev.porthole.watch;

import java.util.List;

/**
 * Returns what a person needs to research the process behind a listener.
 *
 * @param name the kernel's short name ({@code comm})
 * @param exe the executable's path, or null when it cannot be read (another user's process)
 * @param sha256 the executable's SHA-256 in hex, or null when it cannot be read
 * @param startTime when the process started, ISO-8601 UTC; null when unknown
 * @param startTicks the kernel's start time in clock ticks since boot: with the pid, it names one
 *     process for the machine's uptime (pids are reused, this pair is not)
 * @param cwd the working directory, or null when it cannot be read
 * @param parents the parent chain, nearest first, up to pid 1
 * @param cgroup the cgroup path ({@code /proc/PID/cgroup}) when it was read, which names the
 *     systemd unit that ran it after it exited; null when unknown (and in rows from before it)
 */
public record ProcessDetails(
    int pid,
    int ppid,
    String name,
    String commandLine,
    int uid,
    String user,
    String exe,
    String sha256,
    String startTime,
    long startTicks,
    String cwd,
    List<Parent> parents,
    String cgroup) {

  public ProcessDetails {
    parents = parents == null ? List.of() : List.copyOf(parents);
  }

  /** Returns one ancestor: its pid, name and command line. */
  public record Parent(int pid, String name, String commandLine) {}

  /** Returns true when {@code other} is the same program as this one: same pid or executable. */
  public boolean sameOwnerAs(ProcessDetails other) {
    if (other == null) {
      return false;
    }
    return pid == other.pid && java.util.Objects.equals(exe, other.exe);
  }

  /** Returns "name (pid N)" for messages. */
  public String label() {
    return name + " (pid " + pid + ")";
  }
}
