package dev.porthole.attribution;

import dev.porthole.sockets.ProcFiles;
import dev.porthole.sockets.ProcNetParser;
import dev.porthole.sockets.Protocol;
import dev.porthole.sockets.SocketEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

/**
 * Names the rootless Podman container behind a port that {@code rootlessport} holds. Rootless
 * Podman publishes a port with a {@code rootlessport} process (no arguments) that joins the
 * container's network namespace; the container's {@code conmon} names it ({@code -c ID -n NAME})
 * and conmon's child, the container's first process, shares that namespace. All of it comes from
 * {@code /proc}: no Podman socket runs by default, and it is per user.
 */
final class PodmanRootless {
  private final Path procRoot;

  PodmanRootless(Path procRoot) {
    this.procRoot = procRoot;
  }

  /** Returns true when {@code argv} is rootlessport's (Podman's port forwarder). */
  static boolean isRootlessport(List<String> argv) {
    return !argv.isEmpty() && Argv.base(argv.getFirst()).equals("rootlessport");
  }

  /** Returns the container behind rootlessport {@code pid}'s {@code port}, or a placeholder. */
  Origin origin(int pid, int port, ProcessArgs args) {
    String ns = namespace(pid);
    String[] names = procRoot.toFile().list();
    if (ns != null && names != null) {
      for (String name : names) {
        if (!name.matches("\\d{1,9}")) {
          continue;
        }
        int child = Integer.parseInt(name);
        ProcFiles.Stat stat = ProcFiles.stat(procRoot.resolve(name));
        if (stat == null || stat.ppid() <= 1 || !ns.equals(namespace(child))) {
          continue;
        }
        List<String> parent = args.argv(stat.ppid());
        if (!parent.isEmpty() && Argv.base(parent.getFirst()).equals("conmon")) {
          return container(parent, child, port);
        }
      }
    }
    return Origin.of(
        OriginKind.CONTAINER,
        "rootless Podman container",
        "engine",
        "podman",
        "via",
        "rootlessport",
        "engineProblem",
        ns == null ? "its network namespace is unreadable (try sudo)" : "no conmon found");
  }

  private Origin container(List<String> conmon, int child, int port) {
    String id = flag(conmon, "-c");
    String name = flag(conmon, "-n");
    return Origin.of(
        OriginKind.CONTAINER,
        name == null ? (id == null ? "?" : id.substring(0, Math.min(12, id.length()))) : name,
        "engine",
        "podman",
        "id",
        id == null ? null : id.substring(0, Math.min(12, id.length())),
        "via",
        "rootlessport",
        "containerPort",
        containerPort(child, port),
        "pid",
        Integer.toString(child));
  }

  /**
   * Returns the container's port: the host port when something listens on it inside, else its only
   * TCP listener, else null (the mapping itself is in Podman's database, not in /proc).
   */
  private String containerPort(int pid, int hostPort) {
    TreeSet<Integer> ports = new TreeSet<>();
    for (String file : List.of("net/tcp", "net/tcp6")) {
      try {
        String text =
            Files.readString(procRoot.resolve(pid + "/" + file), StandardCharsets.ISO_8859_1);
        for (SocketEntry e :
            ProcNetParser.parse(text, Protocol.TCP, file.endsWith("6")).entries()) {
          if (e.listening()) {
            ports.add(e.localPort());
          }
        }
      } catch (IOException e) {
        // exited, or IPv6 off inside: the other file may still say
      }
    }
    if (ports.contains(hostPort)) {
      return hostPort + "/tcp";
    }
    return ports.size() == 1 ? ports.first() + "/tcp" : null;
  }

  private static String flag(List<String> argv, String name) {
    int i = argv.indexOf(name);
    return i < 0 || i + 1 >= argv.size() ? null : argv.get(i + 1);
  }

  private String namespace(int pid) {
    try {
      return Files.readSymbolicLink(procRoot.resolve(pid + "/ns/net")).toString();
    } catch (IOException | UnsupportedOperationException e) {
      return null;
    }
  }
}
