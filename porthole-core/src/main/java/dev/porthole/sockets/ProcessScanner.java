package dev.porthole.sockets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongPredicate;

/**
 * Finds which processes hold which sockets by reading {@code /proc/PID/fd}, and reads the details
 * of a process from {@code /proc/PID}.
 *
 * <p>Each fd of a socket is a link to {@code socket:[INODE]}. Every process is read, even after
 * each wanted inode has an owner, because forked workers share their parent's listener and {@code
 * kill} must see all of them. Reading one link costs a system call, so many links are read across
 * the cores ({@link FdLinks}). Processes whose fd directory cannot be read (other users', when not
 * root) are counted, not guessed.
 */
public final class ProcessScanner {
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
      return new Owners(new HashMap<>(), 0);
    }
    return scan(pids, wanted);
  }

  private Owners scan(String[] pids, LongPredicate wanted) {
    FdLinks links = FdLinks.read(procRoot.toFile(), pids);
    Map<Long, List<Integer>> found = new HashMap<>();
    int unreadable = links.unlistable();
    for (int i = 0; i < links.processes(); i++) {
      int pid = links.pid(i);
      boolean denied = false;
      for (int k = links.firstFd(i); k < links.firstFd(i + 1); k++) {
        long inode = links.inode(k);
        denied |= inode == FdLinks.DENIED;
        if (inode >= 0 && wanted.test(inode)) {
          List<Integer> holders = found.computeIfAbsent(inode, x -> new ArrayList<>(1));
          if (!holders.contains(pid)) {
            holders.add(pid);
          }
        }
      }
      if (denied) {
        unreadable++; // listable but its links are hidden (ptrace rules, PID 1)
      }
    }
    return new Owners(found, unreadable);
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
}
