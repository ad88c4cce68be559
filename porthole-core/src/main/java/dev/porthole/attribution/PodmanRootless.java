package dev.porthole.attribution;

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
 * {@code /proc}: no Podman socket runs by default, and it is per user. slirp4netns and pasta
 * forwards into a container's namespace are named here too ({@link NamespaceForwards}).
 */
final class PodmanRootless {
  private final Path procRoot;
  private final NetNamespaces namespaces;
  private final ProcessArgs args;
  private final PodmanContainers engine;

  PodmanRootless(
      Path procRoot, NetNamespaces namespaces, ProcessArgs args, PodmanContainers engine) {
    this.procRoot = procRoot;
    this.namespaces = namespaces;
    this.args = args;
    this.engine = engine;
  }

  /** Returns true when {@code argv} is rootlessport's (Podman's port forwarder). */
  static boolean isRootlessport(List<String> argv) {
    return !argv.isEmpty() && Argv.base(argv.getFirst()).equals("rootlessport");
  }

  /** Returns the container behind rootlessport {@code pid}'s {@code port}, or a placeholder. */
  Origin origin(int pid, int port) {
    String ns = namespaces.of(pid);
    Origin found = ns == null ? null : containerIn(ns, null, port);
    if (found != null) {
      return found.with("via", "rootlessport");
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

  /**
   * Returns the Podman container whose network namespace is {@code ns} (a process there is a
   * conmon's child), with what Podman says of host {@code hostPort} (image, container port), or
   * null when no conmon runs one there.
   *
   * @param containerPort the port inside as the forwarder says it, or null to guess from /proc
   */
  Origin containerIn(String ns, String containerPort, int hostPort) {
    for (int child : namespaces.pidsIn(ns)) {
      int parent = namespaces.parent(child);
      List<String> argv = parent <= 1 ? List.of() : args.argv(parent);
      if (!argv.isEmpty() && Argv.base(argv.getFirst()).equals("conmon")) {
        Origin o =
            container(
                argv,
                child,
                containerPort != null ? containerPort : containerPort(child, hostPort));
        return engine.describe(o, parent, hostPort);
      }
    }
    return null;
  }

  private Origin container(List<String> conmon, int child, String containerPort) {
    String id = flag(conmon, "-c");
    String name = flag(conmon, "-n");
    return Origin.of(
        OriginKind.CONTAINER,
        name == null ? (id == null ? "?" : id.substring(0, Math.min(12, id.length()))) : name,
        "engine",
        "podman",
        "id",
        id == null ? null : id.substring(0, Math.min(12, id.length())),
        "containerPort",
        containerPort,
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
