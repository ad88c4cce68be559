package dev.porthole.sockets;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Returns which processes hold which socket inodes, scanning {@code /proc/PID/fd} only for inodes
 * it has not seen before.
 *
 * <p>A socket inode keeps its holders for its whole life (barring fd passing, which is rare), so a
 * watcher that asks every few seconds pays for a full fd scan only when a new socket appears.
 * Inodes not asked about in a call are forgotten, so the cache never outgrows the socket table. Not
 * thread-safe: one watcher thread owns it.
 */
public final class OwnerCache {
  private final ProcessScanner scanner;
  private Map<Long, List<Integer>> known = new HashMap<>();
  private int lastScanned;
  private int scans;

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
    Map<Long, List<Integer>> next = new HashMap<>(inodes.size() * 2);
    Set<Long> unseen = new HashSet<>();
    for (long inode : inodes) {
      List<Integer> pids = known.get(inode);
      if (pids == null) {
        unseen.add(inode);
      } else {
        next.put(inode, pids);
      }
    }
    lastScanned = unseen.size();
    if (!unseen.isEmpty()) {
      scans++;
      Map<Long, List<Integer>> found = scanner.findOwners(unseen).pidsByInode();
      for (long inode : unseen) {
        next.put(inode, List.copyOf(found.getOrDefault(inode, List.of())));
      }
    }
    known = next;
    return next;
  }

  /** Forgets {@code inode}, so the next call scans for its holders again (one of them exited). */
  public void forget(long inode) {
    known.remove(inode);
  }

  /** Returns how many inodes the last call had to scan for. */
  public int lastScanned() {
    return lastScanned;
  }

  /** Returns how many fd scans were made since this cache was created. */
  public int scans() {
    return scans;
  }
}
