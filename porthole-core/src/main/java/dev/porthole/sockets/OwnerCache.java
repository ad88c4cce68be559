package dev.porthole.sockets;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Returns which processes hold which socket inodes, scanning {@code /proc/PID/fd} only when it
 * must: all processes when an inode is new, only the new processes when none is.
 *
 * <p>A socket inode keeps its holders for its whole life (barring fd passing, which is rare), so a
 * caller that asks every few seconds pays for a full fd scan only when a new socket appears. A
 * cached holder is checked by its start time (a pid reused by another process is not taken for the
 * old one), and a process that appeared since the last call has its fds read, so a forked worker
 * that inherited a listener is found. Inodes not asked about in a call are forgotten, so the cache
 * never outgrows the socket table. Not thread-safe: one owner thread, or the caller locks.
 */
public final class OwnerCache {
  private final ProcessScanner scanner;
  private Map<Long, List<Integer>> known = new HashMap<>();
  private Map<Integer, Long> starts = new HashMap<>();
  private Set<String> seenPids = Set.of();
  private int lastScanned;
  private int scans;
  private int unreadable;

  public OwnerCache(ProcessScanner scanner) {
    if (scanner == null) {
      throw new IllegalArgumentException("scanner: null");
    }
    this.scanner = scanner;
  }

  /**
   * Returns the holders of each of {@code inodes} (an inode nobody readable holds maps to none).
   */
  public Map<Long, List<Integer>> owners(Set<Long> inodes) {
    String[] pids = scanner.listPids();
    Map<Long, List<Integer>> next = new HashMap<>(inodes.size() * 2);
    Map<Integer, Long> alive = new HashMap<>();
    Set<Long> unseen = new HashSet<>();
    for (long inode : inodes) {
      List<Integer> pids0 = known.get(inode);
      List<Integer> valid = pids0 == null ? null : stillRunning(pids0, alive);
      if (valid == null || (valid.isEmpty() && !pids0.isEmpty())) {
        unseen.add(inode); // new, or every holder exited: someone else holds it now
      } else {
        next.put(inode, valid);
      }
    }
    lastScanned = unseen.size();
    if (!unseen.isEmpty()) {
      scans++;
      // A full scan for every inode: its cost is one readlink per fd, not per wanted inode.
      ProcessScanner.Owners found = scanner.findOwners(inodes, pids);
      unreadable = found.unreadableProcesses();
      next.clear();
      for (long inode : inodes) {
        next.put(inode, List.copyOf(found.pidsByInode().getOrDefault(inode, List.of())));
      }
    } else {
      String[] born = Arrays.stream(pids).filter(p -> !seenPids.contains(p)).toArray(String[]::new);
      if (born.length > 0 && !inodes.isEmpty()) {
        merge(next, scanner.findOwners(inodes, born).pidsByInode());
      }
    }
    known = next;
    starts = record(next, alive);
    seenPids = Set.of(pids);
    return next;
  }

  /** Returns the holders in {@code pids} still running since they were seen, by start time. */
  private List<Integer> stillRunning(List<Integer> pids, Map<Integer, Long> alive) {
    List<Integer> out = null;
    for (int i = 0; i < pids.size(); i++) {
      int pid = pids.get(i);
      long now = alive.computeIfAbsent(pid, scanner::startTicks);
      if (now != starts.getOrDefault(pid, -2L)) {
        out = out == null ? new ArrayList<>(pids.subList(0, i)) : out;
      } else if (out != null) {
        out.add(pid);
      }
    }
    return out == null ? pids : List.copyOf(out);
  }

  private static void merge(Map<Long, List<Integer>> into, Map<Long, List<Integer>> found) {
    found.forEach(
        (inode, pids) -> {
          List<Integer> all = new ArrayList<>(into.getOrDefault(inode, List.of()));
          for (int pid : pids) {
            if (!all.contains(pid)) {
              all.add(pid);
            }
          }
          into.put(inode, List.copyOf(all));
        });
  }

  private Map<Integer, Long> record(Map<Long, List<Integer>> holders, Map<Integer, Long> alive) {
    Map<Integer, Long> out = new HashMap<>();
    for (List<Integer> pids : holders.values()) {
      for (int pid : pids) {
        out.computeIfAbsent(pid, p -> alive.computeIfAbsent(p, scanner::startTicks));
      }
    }
    return out;
  }

  /** Forgets {@code inode}, so the next call scans for its holders again (one of them exited). */
  public void forget(long inode) {
    known.remove(inode);
  }

  /** Returns how many inodes the last call had to scan for. */
  public int lastScanned() {
    return lastScanned;
  }

  /** Returns how many full fd scans were made since this cache was created. */
  public int scans() {
    return scans;
  }

  /** Returns how many processes hid their fds in the last full scan. */
  public int unreadableProcesses() {
    return unreadable;
  }
}
