package dev.porthole.watch;

import dev.porthole.sockets.ProcFiles;
import dev.porthole.sockets.ProcFiles.Stat;
import dev.porthole.sockets.UserNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Returns {@link ProcessDetails} read from {@code /proc/PID}, cached by pid and start time.
 *
 * <p>Each call reads only {@code /proc/PID/stat} (to learn the start time, which tells a reused pid
 * from the process cached under it); the rest is read once per process. The SHA-256 of the
 * executable comes from {@link ExecutableHashes}, cached by path, size and mtime. Not thread-safe.
 */
public final class ProcessDetailsReader {
  // USER_HZ: the kernel reports start times in these ticks; 100 on every Linux architecture we run.
  private static final int TICKS_PER_SECOND = 100;
  private static final int MAX_PARENTS = 32;

  private final Path procRoot;
  private final UserNames users;
  private final ExecutableHashes hashes;
  private final long bootMillis;
  private Map<Integer, ProcessDetails> cache = new HashMap<>();
  private Map<Integer, ProcessDetails> used = new HashMap<>();

  public ProcessDetailsReader(Path procRoot, UserNames users, ExecutableHashes hashes) {
    if (procRoot == null) {
      throw new IllegalArgumentException("procRoot: null");
    }
    this.procRoot = procRoot;
    this.users = users;
    this.hashes = hashes;
    this.bootMillis = bootMillis(procRoot);
  }

  /** Returns a reader of this machine's {@code /proc}. */
  public static ProcessDetailsReader system() {
    return new ProcessDetailsReader(Path.of("/proc"), UserNames.system(), new ExecutableHashes());
  }

  /** Returns the details of {@code pid}, or null when it has exited or cannot be read. */
  public ProcessDetails read(int pid) {
    ProcessDetails seen = used.get(pid);
    if (seen != null) {
      return seen; // already checked in this cycle: one process often holds many listeners
    }
    Stat stat = stat(pid);
    if (stat == null) {
      return null;
    }
    ProcessDetails cached = cache.get(pid);
    if (cached == null || cached.startTicks() != stat.startTicks()) {
      cached = load(pid, stat);
      if (cached == null) {
        return null;
      }
      cache.put(pid, cached);
    }
    used.put(pid, cached);
    return cached;
  }

  /**
   * Ends a cycle: forgets the processes not read in it (they exited or hold no listener now), and
   * makes the next cycle check the start time of each process again.
   */
  public void endCycle() {
    cache = used;
    used = new HashMap<>();
  }

  private ProcessDetails load(int pid, Stat stat) {
    Path dir = procRoot.resolve(Integer.toString(pid));
    int uid;
    try {
      uid = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    } catch (IOException | RuntimeException e) {
      return null;
    }
    String exe = link(dir.resolve("exe"));
    String sha = exe == null ? null : hashes.sha256(dir.resolve("exe"), exe);
    String start =
        Instant.ofEpochMilli(bootMillis + stat.startTicks() * 1000 / TICKS_PER_SECOND).toString();
    return new ProcessDetails(
        pid,
        stat.ppid(),
        stat.name(),
        ProcFiles.commandLine(dir, stat.name()),
        uid,
        users.name(uid),
        exe,
        sha,
        bootMillis > 0 ? start : null,
        stat.startTicks(),
        link(dir.resolve("cwd")),
        parents(stat.ppid()),
        ProcFiles.cgroup(dir));
  }

  private List<ProcessDetails.Parent> parents(int ppid) {
    List<ProcessDetails.Parent> chain = new ArrayList<>();
    int next = ppid;
    while (next > 0 && chain.size() < MAX_PARENTS) {
      Stat s = stat(next);
      if (s == null) {
        break;
      }
      chain.add(
          new ProcessDetails.Parent(
              next,
              s.name(),
              ProcFiles.commandLine(procRoot.resolve(Integer.toString(next)), s.name())));
      next = s.ppid();
    }
    return chain;
  }

  private Stat stat(int pid) {
    return ProcFiles.stat(procRoot.resolve(Integer.toString(pid)));
  }

  private static String link(Path link) {
    try {
      return Files.readSymbolicLink(link).toString();
    } catch (IOException | UnsupportedOperationException e) {
      return null; // another user's process, or it exited
    }
  }

  private static long bootMillis(Path procRoot) {
    try {
      for (String line : Files.readAllLines(procRoot.resolve("stat"), StandardCharsets.UTF_8)) {
        if (line.startsWith("btime ")) {
          return Long.parseLong(line.substring(6).trim()) * 1000;
        }
      }
    } catch (IOException | RuntimeException e) {
      // No boot time: start times are then reported as unknown.
    }
    return 0;
  }
}
