package dev.porthole.sockets;

import java.io.File;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The open files of a set of processes as {@code /proc/PID/fd} lists them, read once: each fd
 * directory with one listing, then every link with one {@code readlink}, split across the cores
 * when there are many.
 *
 * <p>Why this shape: every entry of an fd directory is a symbolic link (its {@code d_type} says
 * nothing of the target), so which fds are sockets is known only from the link; the {@code
 * readlink}s are the cost (about 3.5 µs of kernel time each, in C too). A parallel stream over the
 * processes, each updating a shared map, cost {@code ports --all} 7 % more CPU than this shape: the
 * links read into a flat array by the caller's thread and one plain thread per further core, and
 * looked at afterwards on one thread.
 */
final class FdLinks {
  /** What {@link #inode} holds for an fd that is not a socket, or was closed while we looked. */
  static final long NOT_A_SOCKET = -1;

  /** What {@link #inode} holds for an fd whose link the kernel refused to show. */
  static final long DENIED = -2;

  // Below this many links a thread hand-off costs more than it saves.
  private static final int SPLIT = 2048;

  private final int[] pids;
  private final int[]
      firstFd; // process i's fds are [firstFd[i], firstFd[i + 1]) of the flat arrays
  private final long[] inodes;
  private final int unlistable;

  private FdLinks(int[] pids, int[] firstFd, long[] inodes, int unlistable) {
    this.pids = pids;
    this.firstFd = firstFd;
    this.inodes = inodes;
    this.unlistable = unlistable;
  }

  /**
   * Reads the fd links of the processes named in {@code names} (entries of {@code procRoot}; those
   * that are not pids are ignored).
   */
  static FdLinks read(File procRoot, String[] names) {
    int[] pids = new int[names.length];
    String[][] fds = new String[names.length][];
    int processes = 0;
    int total = 0;
    int unlistable = 0;
    for (String name : names) {
      int pid = parsePid(name);
      if (pid < 0) {
        continue;
      }
      File dir = new File(procRoot, name + "/fd");
      String[] listed = dir.list();
      if (listed == null) {
        // Gone since the listing, or another user's process while we are not root.
        if (dir.getParentFile().exists()) {
          unlistable++;
        }
        continue;
      }
      pids[processes] = pid;
      fds[processes++] = listed;
      total += listed.length;
    }
    int[] firstFd = new int[processes + 1];
    Path[] dirs = new Path[total];
    String[] links = new String[total];
    int at = 0;
    for (int i = 0; i < processes; i++) {
      firstFd[i] = at;
      Path dir = new File(procRoot, pids[i] + "/fd").toPath();
      for (String fd : fds[i]) {
        dirs[at] = dir;
        links[at++] = fd;
      }
    }
    firstFd[processes] = at;
    long[] inodes = new long[total];
    readAll(dirs, links, inodes);
    return new FdLinks(Arrays.copyOf(pids, processes), firstFd, inodes, unlistable);
  }

  /** Returns how many processes were read. */
  int processes() {
    return pids.length;
  }

  /** Returns the pid of process {@code i}. */
  int pid(int i) {
    return pids[i];
  }

  /** Returns the index of the first fd of process {@code i}; its last is {@code firstFd(i + 1)}. */
  int firstFd(int i) {
    return firstFd[i];
  }

  /** Returns the socket inode fd {@code k} links to, {@link #NOT_A_SOCKET} or {@link #DENIED}. */
  long inode(int k) {
    return inodes[k];
  }

  /** Returns how many processes' fd directories could not be listed (other users', not root). */
  int unlistable() {
    return unlistable;
  }

  private static void readAll(Path[] dirs, String[] links, long[] out) {
    int parts =
        Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), out.length / SPLIT));
    if (parts == 1) {
      readRange(dirs, links, out, 0, out.length);
      return;
    }
    Thread[] helpers = new Thread[parts - 1];
    for (int p = 1; p < parts; p++) {
      int from = (int) ((long) out.length * p / parts);
      int to = (int) ((long) out.length * (p + 1) / parts);
      helpers[p - 1] =
          Thread.ofPlatform()
              .daemon()
              .name("porthole-fds-" + p)
              .start(() -> readRange(dirs, links, out, from, to));
    }
    readRange(dirs, links, out, 0, out.length / parts);
    for (Thread helper : helpers) {
      try {
        helper.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while reading /proc/PID/fd", e);
      }
    }
  }

  private static void readRange(Path[] dirs, String[] links, long[] out, int from, int to) {
    for (int k = from; k < to; k++) {
      out[k] = socketInode(dirs[k].resolve(links[k]));
    }
  }

  /** Returns the socket inode a link points at, -1 for other files, {@link #DENIED} if hidden. */
  private static long socketInode(Path link) {
    String target;
    try {
      target = Files.readSymbolicLink(link).toString();
    } catch (AccessDeniedException e) {
      return DENIED;
    } catch (IOException | UnsupportedOperationException e) {
      return NOT_A_SOCKET; // the fd was closed while we looked
    }
    if (!target.startsWith("socket:[") || !target.endsWith("]")) {
      return NOT_A_SOCKET;
    }
    try {
      return Long.parseLong(target, 8, target.length() - 1, 10);
    } catch (NumberFormatException e) {
      return NOT_A_SOCKET;
    }
  }

  /** Returns {@code name} as a pid, or -1 when it is not one ("self", "net", ...). */
  static int parsePid(String name) {
    if (name.isEmpty() || name.length() > 9) {
      return -1;
    }
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) < '0' || name.charAt(i) > '9') {
        return -1;
      }
    }
    return Integer.parseInt(name);
  }
}
