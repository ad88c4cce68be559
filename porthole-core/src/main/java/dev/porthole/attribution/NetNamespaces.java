package dev.porthole.attribution;

import dev.porthole.sockets.ProcFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Network namespaces as {@code /proc} names them ({@code net:[4026532180]}) and the processes in
 * each, read once per command or watch cycle and only when a forwarder into a namespace is met.
 */
final class NetNamespaces {
  private final Path procRoot;
  private Map<Integer, String> byPid;

  NetNamespaces(Path procRoot) {
    this.procRoot = procRoot;
  }

  /** Returns the namespace of {@code pid} ("net:[N]"), or null when it cannot be read. */
  String of(int pid) {
    try {
      return Files.readSymbolicLink(procRoot.resolve(pid + "/ns/net")).toString();
    } catch (IOException | UnsupportedOperationException e) {
      return null;
    }
  }

  /** Returns the processes in {@code ns}, lowest PID first (the namespace's oldest, usually). */
  List<Integer> pidsIn(String ns) {
    List<Integer> pids = new ArrayList<>();
    for (Map.Entry<Integer, String> e : all().entrySet()) {
      if (e.getValue().equals(ns)) {
        pids.add(e.getKey());
      }
    }
    return pids;
  }

  /**
   * Returns the children of {@code pid} from the kernel's {@code children} file of each of its
   * threads (a Go program such as rootlesskit forks from any thread, and each file lists only the
   * children its own thread forked), or none.
   */
  List<Integer> children(int pid) {
    List<Integer> children = new ArrayList<>();
    try (var tasks = Files.list(procRoot.resolve(pid + "/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        for (String child : readOrEmpty(task.resolve("children")).strip().split("\\s+")) {
          if (child.matches("\\d{1,9}")) {
            children.add(Integer.parseInt(child));
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // exited, or a kernel without CONFIG_PROC_CHILDREN: the caller's other clues stay
    }
    return children;
  }

  private static String readOrEmpty(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return ""; // a thread that ended meanwhile
    }
  }

  /** Returns the parent of {@code pid}, or -1. */
  int parent(int pid) {
    ProcFiles.Stat stat = ProcFiles.stat(procRoot.resolve(Integer.toString(pid)));
    return stat == null ? -1 : stat.ppid();
  }

  /**
   * Returns the namespace a bind-mounted file such as Podman's {@code /run/user/1000/netns/netns-X}
   * stands for, or null. Rootless engines mount it inside their own mount namespace, so the file is
   * looked at through the {@code /proc/PID/root} of each process of {@code uid} too.
   */
  String ofPath(String path, int uid) {
    String ns = inode(Path.of(path));
    if (ns != null || uid < 0) {
      return ns;
    }
    for (int pid : all().keySet()) {
      if (uid(pid) == uid) {
        ns = inode(procRoot.resolve(pid + "/root/" + path));
        if (ns != null) {
          return ns;
        }
      }
    }
    return null;
  }

  /** Returns the namespace a process holds open (pasta keeps its target's), or null. */
  String heldBy(int pid) {
    try (var fds = Files.list(procRoot.resolve(pid + "/fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        String target = readLink(fd);
        if (target != null && target.startsWith("net:[")) {
          return target;
        }
      }
    } catch (IOException | RuntimeException e) {
      // exited, or not ours to read: the arguments may still say
    }
    return null;
  }

  /** Returns the uid of {@code pid}, or -1. */
  int uid(int pid) {
    try {
      return (Integer) Files.getAttribute(procRoot.resolve(Integer.toString(pid)), "unix:uid");
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static String inode(Path nsFile) {
    try {
      // An nsfs file on the namespace's own device: a plain file (not mounted here) is none.
      Object ino = Files.getAttribute(nsFile, "unix:ino");
      Object dev = Files.getAttribute(nsFile, "unix:dev");
      Object procDev = Files.getAttribute(Path.of("/proc/self/ns/net"), "unix:dev");
      return dev.equals(procDev) ? "net:[" + ino + "]" : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static String readLink(Path link) {
    try {
      return Files.readSymbolicLink(link).toString();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private Map<Integer, String> all() {
    if (byPid == null) {
      byPid = new TreeMap<>();
      String[] names = procRoot.toFile().list();
      for (String name : names == null ? new String[0] : names) {
        if (name.matches("\\d{1,9}")) {
          String ns = of(Integer.parseInt(name));
          if (ns != null) {
            byPid.put(Integer.parseInt(name), ns);
          }
        }
      }
    }
    return byPid;
  }
}
