package dev.porthole.sockets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the per-process files porthole's views of a process need: {@code /proc/PID/stat}, {@code
 * /proc/PID/cmdline} and {@code /proc/PID/cgroup}. One parser for the inventory and the watch.
 */
public final class ProcFiles {
  private ProcFiles() {}

  /**
   * Returns the fields of {@code /proc/PID/stat} porthole uses.
   *
   * @param startTicks the start time in clock ticks after boot (field 22), 0 when absent
   */
  public record Stat(String name, int ppid, long startTicks) {}

  /** Returns the stat of the process in {@code pidDir}, or null when it exited or is unreadable. */
  public static Stat stat(Path pidDir) {
    try {
      String text = Files.readString(pidDir.resolve("stat"), StandardCharsets.UTF_8);
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so cut at the last ')'.
      int open = text.indexOf('(');
      int close = text.lastIndexOf(')');
      if (open < 0 || close < open || close + 2 > text.length()) {
        return null;
      }
      String[] rest = text.substring(close + 2).split(" ");
      // rest[0] is field 3 (state); ppid is field 4, starttime field 22.
      int ppid = rest.length > 1 ? Integer.parseInt(rest[1]) : 0;
      long start = rest.length > 19 ? Long.parseLong(rest[19]) : 0;
      return new Stat(text.substring(open + 1, close), ppid, start);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Returns the process's arguments joined by spaces, or {@code [name]} for kernel threads, zombies
   * and processes whose command line cannot be read.
   */
  public static String commandLine(Path pidDir, String name) {
    try {
      byte[] raw = Files.readAllBytes(pidDir.resolve("cmdline"));
      int end = raw.length;
      while (end > 0 && raw[end - 1] == 0) {
        end--;
      }
      if (end == 0) {
        return "[" + name + "]";
      }
      for (int i = 0; i < end; i++) {
        if (raw[i] == 0) {
          raw[i] = ' ';
        }
      }
      return new String(raw, 0, end, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "[" + name + "]";
    }
  }

  /**
   * Returns the process's cgroup path: the unified ({@code 0::}) line's, else the v1 {@code
   * name=systemd} line's (a hybrid or legacy machine), or null when neither can be read.
   */
  public static String cgroup(Path pidDir) {
    try {
      return cgroupPath(Files.readString(pidDir.resolve("cgroup"), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return null;
    }
  }

  /** Returns the path {@link #cgroup} picks from the text of a {@code /proc/PID/cgroup} file. */
  public static String cgroupPath(String text) {
    String legacy = null;
    for (String line : text.lines().toList()) {
      if (line.startsWith("0::") && line.length() > 3) {
        String path = line.substring(3);
        if (!path.equals("/")) {
          return path; // hybrid machines keep "0::/" when systemd uses the v1 hierarchy
        }
      } else if (line.contains(":name=systemd:")) {
        legacy = line.substring(line.indexOf(":name=systemd:") + ":name=systemd:".length());
      }
    }
    return legacy;
  }
}
