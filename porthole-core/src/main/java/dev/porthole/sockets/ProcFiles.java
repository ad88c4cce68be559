package dev.porthole.sockets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the two per-process files every porthole view of a process needs: {@code /proc/PID/stat}
 * and {@code /proc/PID/cmdline}. One parser for the inventory and the watch.
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
}
