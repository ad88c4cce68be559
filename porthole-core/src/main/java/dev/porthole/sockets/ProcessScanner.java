package dev.porthole.sockets;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds which processes hold which sockets by reading {@code /proc/PID/fd}, and reads the details
 * of a process from {@code /proc/PID}.
 *
 * <p>Each fd of a socket is a link to {@code socket:[INODE]}. The scan stops as soon as every
 * wanted inode is found, so "who holds port 62893" reads only as far as it must. Processes whose fd
 * directory cannot be read (other users', when not root) are counted, not guessed.
 */
public final class ProcessScanner {
  private final Path procRoot;
  private final UserNames users;

  /** Returns the owners found: inode to the pids that hold it, and how many processes hid theirs. */
  public record Owners(Map<Long, List<Integer>> pidsByInode, int unreadableProcesses) {}

  public ProcessScanner(Path procRoot, UserNames users) {
    this.procRoot = procRoot;
    this.users = users;
  }

  /** Returns the holders of the {@code wanted} socket inodes. */
  public Owners findOwners(Set<Long> wanted) {
    Map<Long, List<Integer>> found = new HashMap<>();
    int unreadable = 0;
    String[] pids = procRoot.toFile().list();
    if (pids == null || wanted.isEmpty()) {
      return new Owners(found, 0);
    }
    for (String pidName : pids) {
      int pid = parsePid(pidName);
      if (pid < 0) {
        continue;
      }
      File fdDir = new File(procRoot.toFile(), pidName + "/fd");
      String[] fds = fdDir.list();
      if (fds == null) {
        // Gone since the listing, or another user's process while we are not root.
        if (fdDir.getParentFile().exists()) {
          unreadable++;
        }
        continue;
      }
      for (String fd : fds) {
        long inode = socketInode(fdDir.toPath().resolve(fd));
        if (inode >= 0 && wanted.contains(inode)) {
          List<Integer> holders = found.computeIfAbsent(inode, k -> new ArrayList<>(1));
          if (!holders.contains(pid)) {
            holders.add(pid);
          }
        }
      }
    }
    return new Owners(found, unreadable);
  }

  /** Returns the details of {@code pid}, or null when it has exited or cannot be read. */
  public ProcessInfo read(int pid) {
    Path dir = procRoot.resolve(Integer.toString(pid));
    try {
      String stat = Files.readString(dir.resolve("stat"), StandardCharsets.UTF_8);
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so cut at the last ')'.
      int open = stat.indexOf('(');
      int close = stat.lastIndexOf(')');
      if (open < 0 || close < open) {
        return null;
      }
      String name = stat.substring(open + 1, close);
      String[] rest = stat.substring(close + 2).split(" ", 3);
      int ppid = rest.length > 1 ? Integer.parseInt(rest[1]) : 0;
      int uid = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
      return new ProcessInfo(pid, ppid, name, commandLine(dir, name), uid, users.name(uid));
    } catch (IOException | RuntimeException e) {
      return null; // exited between the fd scan and now, or unreadable
    }
  }

  private static String commandLine(Path dir, String name) {
    try {
      byte[] raw = Files.readAllBytes(dir.resolve("cmdline"));
      int end = raw.length;
      while (end > 0 && raw[end - 1] == 0) {
        end--;
      }
      if (end == 0) {
        return "[" + name + "]"; // kernel threads and zombies have no arguments
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

  private static long socketInode(Path link) {
    String target;
    try {
      target = Files.readSymbolicLink(link).toString();
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
