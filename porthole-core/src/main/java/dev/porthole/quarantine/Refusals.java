package dev.porthole.quarantine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Returns the processes porthole will not signal, whoever asks ({@code kill}, {@code quarantine},
 * the watch's {@code quarantine} action): PID 1, porthole itself, and other users' processes
 * unless it runs as root.
 */
public final class Refusals {
  private Refusals() {}

  /** Returns why {@code pid} (owned by {@code uid}) must not be signalled, or null when it may. */
  public static String refusal(long pid, int uid, long self, int myUid) {
    if (pid == 1) {
      return "refused: PID 1 is the init process; ending it takes the system (or container) down";
    }
    if (pid == self) {
      return "refused: that is porthole itself";
    }
    if (myUid != 0 && uid != myUid) {
      return "refused: it belongs to uid " + uid + ", not you (run as root to end it)";
    }
    return null;
  }

  /** Returns this process's uid (from /proc/self; {@code id -u} elsewhere). */
  public static int myUid() {
    try {
      return (Integer)
          Files.getAttribute(Path.of("/proc/self"), "unix:uid", LinkOption.NOFOLLOW_LINKS);
    } catch (IOException | RuntimeException e) {
      try {
        Process id = new ProcessBuilder("id", "-u").start();
        return Integer.parseInt(new String(id.getInputStream().readAllBytes()).strip());
      } catch (IOException | RuntimeException e2) {
        return -1; // unknown: refuses everything but... nothing, since uid never equals -1
      }
    }
  }
}
