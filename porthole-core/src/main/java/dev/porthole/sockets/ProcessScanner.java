package dev.porthole.sockets;

import java.io.File;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongPredicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Finds which processes hold which sockets by reading {@code /proc/PID/fd}, and reads the details
 * of a process from {@code /proc/PID}.
 *
 * <p>Each fd of a socket is a link to {@code socket:[INODE]}. Every process is read, even after
 * each wanted inode has an owner, because forked workers share their parent's listener and {@code
 * kill} must see all of them. Reading one link costs a system call, so a process with thousands of
 * fds is split across the cores, as are many processes. Processes whose fd directory cannot be read
 * (other users', when not root) are counted, not guessed.
 */
public final class ProcessScanner {
  // Below these sizes a thread hand-off costs more than it saves (a short command's whole run).
  private static final int SPLIT_FDS = 2048;
  private static final int PARALLEL_PIDS = 256;

  private final Path procRoot;
  private final UserNames users;

  /**
   * Returns the owners found: inode to the pids that hold it, and how many processes hid theirs.
   */
  public record Owners(Map<Long, List<Integer>> pidsByInode, int unreadableProcesses) {}

  public ProcessScanner(Path procRoot, UserNames users) {
    this.procRoot = procRoot;
    this.users = users;
  }

  /** Returns the holders of the {@code wanted} socket inodes. */
  public Owners findOwners(Set<Long> wanted) {
    if (wanted.isEmpty()) {
      return new Owners(new HashMap<>(), 0);
    }
    return scan(wanted::contains);
  }

  /** Returns the holders of every socket any readable process holds. */
  public Owners findAllOwners() {
    return scan(inode -> true);
  }

  /** Returns the holders of the {@code wanted} socket inodes among the processes {@code pids}. */
  public Owners findOwners(Set<Long> wanted, String[] pids) {
    return scan(pids, wanted::contains);
  }

  /** Returns the names in the proc root (pids and others), or an empty array when unreadable. */
  public String[] listPids() {
    String[] names = procRoot.toFile().list();
    return names == null ? new String[0] : names;
  }

  /** Returns the start time (clock ticks after boot) of {@code pid}, or -1 when it is gone. */
  public long startTicks(int pid) {
    ProcFiles.Stat stat = ProcFiles.stat(procRoot.resolve(Integer.toString(pid)));
    return stat == null ? -1 : stat.startTicks();
  }

  private Owners scan(LongPredicate wanted) {
    String[] pids = procRoot.toFile().list();
    if (pids == null) {
      return new Owners(new ConcurrentHashMap<>(), 0);
    }
    return scan(pids, wanted);
  }

  private Owners scan(String[] pids, LongPredicate wanted) {
    Map<Long, List<Integer>> found = new ConcurrentHashMap<>();
    AtomicInteger unreadable = new AtomicInteger();
    Stream<String> each = Arrays.stream(pids);
    (pids.length > PARALLEL_PIDS ? each.parallel() : each)
        .forEach(name -> scanProcess(name, wanted, found, unreadable));
    return new Owners(found, unreadable.get());
  }

  private void scanProcess(
      String pidName,
      LongPredicate wanted,
      Map<Long, List<Integer>> found,
      AtomicInteger unreadable) {
    int pid = parsePid(pidName);
    if (pid < 0) {
      return;
    }
    File fdDir = new File(procRoot.toFile(), pidName + "/fd");
    String[] fds = fdDir.list();
    if (fds == null) {
      // Gone since the listing, or another user's process while we are not root.
      if (fdDir.getParentFile().exists()) {
        unreadable.incrementAndGet();
      }
      return;
    }
    Path dir = fdDir.toPath();
    boolean denied;
    if (fds.length < SPLIT_FDS) {
      denied = scanFds(dir, fds, 0, fds.length, pid, wanted, found);
    } else {
      int chunks = (fds.length + SPLIT_FDS - 1) / SPLIT_FDS;
      denied =
          IntStream.range(0, chunks)
              .parallel()
              .mapToObj(
                  c ->
                      scanFds(
                          dir,
                          fds,
                          c * SPLIT_FDS,
                          Math.min(fds.length, (c + 1) * SPLIT_FDS),
                          pid,
                          wanted,
                          found))
              .reduce(false, Boolean::logicalOr);
    }
    if (denied) {
      unreadable.incrementAndGet(); // listable but its links are hidden (ptrace rules, PID 1)
    }
  }

  /** Scans {@code fds[from..to)}; returns true when the kernel refused to show a link. */
  private static boolean scanFds(
      Path dir,
      String[] fds,
      int from,
      int to,
      int pid,
      LongPredicate wanted,
      Map<Long, List<Integer>> found) {
    boolean denied = false;
    for (int i = from; i < to; i++) {
      long inode = socketInode(dir.resolve(fds[i]));
      denied |= inode == DENIED;
      if (inode >= 0 && wanted.test(inode)) {
        found.compute(
            inode,
            (k, holders) -> {
              List<Integer> list = holders == null ? new ArrayList<>(1) : holders;
              if (!list.contains(pid)) {
                list.add(pid);
              }
              return list;
            });
      }
    }
    return denied;
  }

  /** Returns true when this process runs as root (uid 0), so every process should be readable. */
  public static boolean root() {
    try {
      return (Integer)
              Files.getAttribute(Path.of("/proc/self"), "unix:uid", LinkOption.NOFOLLOW_LINKS)
          == 0;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Returns the details of {@code pid}, or null when it has exited or cannot be read. */
  public ProcessInfo read(int pid) {
    Path dir = procRoot.resolve(Integer.toString(pid));
    ProcFiles.Stat stat = ProcFiles.stat(dir);
    if (stat == null) {
      return null;
    }
    try {
      int uid = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
      return new ProcessInfo(
          pid,
          stat.ppid(),
          stat.name(),
          ProcFiles.commandLine(dir, stat.name()),
          uid,
          users.name(uid));
    } catch (IOException | RuntimeException e) {
      return null; // exited between the fd scan and now, or unreadable
    }
  }

  private static final long DENIED = -2;

  /** Returns the socket inode a link points at, -1 for other files, {@link #DENIED} if hidden. */
  private static long socketInode(Path link) {
    String target;
    try {
      target = Files.readSymbolicLink(link).toString();
    } catch (AccessDeniedException e) {
      return DENIED;
    } catch (IOException | UnsupportedOperationException e) {
      return -1; // the fd was closed while we looked
    }
    if (!target.startsWith("socket:[") || !target.endsWith("]")) {
      return -1;
    }
    try {
      return Long.parseLong(target, 8, target.length() - 1, 10);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static int parsePid(String name) {
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
