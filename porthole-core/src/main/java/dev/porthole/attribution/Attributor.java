package dev.porthole.attribution;

import dev.porthole.checks.CommandRunner;
import dev.porthole.sockets.OwnedSocket;
import dev.porthole.sockets.ProcessInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Names the real owner of listeners for one command or one watch cycle: reads each holder's
 * arguments once, and asks the container engine at most once (only when a docker-proxy holds one of
 * the sockets, or dockerd). Not thread-safe; make one per command or cycle.
 */
public final class Attributor {
  private final ProcessArgs processes;
  private final ContainerLookup containers;
  private final PodmanRootless podman;
  private final NamespaceForwards forwards;
  private final VirtualBoxForwards virtualBox;
  private final boolean enabled;
  private final Map<String, Origin> byProcessAndPort = new HashMap<>();
  // One process often holds many listeners (a JVM's 1,000): its arguments are read once.
  private final Map<Integer, List<String>> argvByPid = new HashMap<>();
  private final Map<Integer, Path> cwdByPid = new HashMap<>();
  private final List<String> notes = new ArrayList<>();

  /**
   * Creates an attributor reading {@code procRoot} and asking {@code containers} about
   * docker-proxy's containers.
   */
  public Attributor(Path procRoot, ContainerLookup containers) {
    this(procRoot, containers, true);
  }

  private Attributor(Path procRoot, ContainerLookup containers, boolean enabled) {
    this.enabled = enabled;
    this.processes = new ProcessArgs(procRoot);
    NetNamespaces namespaces = new NetNamespaces(procRoot);
    this.podman =
        new PodmanRootless(
            procRoot,
            namespaces,
            processes,
            new PodmanContainers(procRoot, CommandRunner.system(Duration.ofSeconds(5))));
    this.forwards =
        new NamespaceForwards(
            namespaces, podman, new RootlessDocker(procRoot, namespaces, processes), processes);
    this.virtualBox = new VirtualBoxForwards(processes);
    this.containers = containers;
  }

  /** Returns an attributor of this machine: {@code /proc} and the local Docker engine. */
  public static Attributor system() {
    return new Attributor(Path.of("/proc"), new ContainerLookup(DockerEngine.local()));
  }

  /**
   * Returns an attributor that names no origin and asks no engine ({@code ports --no-origins}):
   * processes only, as before attribution, and the baseline of its benchmark.
   */
  public static Attributor none() {
    return new Attributor(Path.of("/proc"), new ContainerLookup(DockerEngine.local()), false);
  }

  /** Returns the origin of {@code socket}, or null when its holder is just a process. */
  public Origin origin(OwnedSocket socket) {
    if (!enabled) {
      return null;
    }
    for (ProcessInfo owner : socket.owners()) {
      Origin o = origin(owner.pid(), socket.socket().localPort());
      if (o != null) {
        return o;
      }
    }
    return null;
  }

  /** Returns the origin of the listener on {@code port} held by {@code pid}, or null. */
  public Origin origin(int pid, int port) {
    if (!enabled) {
      return null;
    }
    String key = pid + ":" + port;
    if (byProcessAndPort.containsKey(key)) {
      return byProcessAndPort.get(key);
    }
    List<String> argv = argvByPid.computeIfAbsent(pid, processes::argv);
    Origin o;
    if (PodmanRootless.isRootlessport(argv)) {
      o = podman.origin(pid, port);
    } else if (NamespaceForwards.isForwarder(argv)) {
      o = forwards.origin(pid, argv, port);
    } else if (VirtualBoxForwards.isVirtualBox(argv)) {
      o = virtualBox.origin(pid, argv, port);
    } else {
      o = argv.isEmpty() ? null : CommandLineOrigins.of(argv, port, cwd(pid));
    }
    if (o == null && !argv.isEmpty() && Argv.base(argv.getFirst()).equals("dockerd")) {
      // userland-proxy=false: dockerd's socket reserves a port its DNAT rule serves.
      o = containers.byHostPort(port, null);
    } else if (o != null
        && o.kind().equals(OriginKind.CONTAINER.label())
        && DockerProxyArgs.parse(argv) != null) {
      o = containers.name(DockerProxyArgs.parse(argv), o);
    }
    byProcessAndPort.put(key, o);
    return o;
  }

  private Path cwd(int pid) {
    // computeIfAbsent keeps no null: an unreadable cwd is looked up again, which is rare.
    Path known = cwdByPid.get(pid);
    if (known == null) {
      known = processes.cwd(pid);
      if (known != null) {
        cwdByPid.put(pid, known);
      }
    }
    return known;
  }

  /** Returns the container lookup this attributor asks (one engine request per command). */
  public ContainerLookup containers() {
    return containers;
  }

  /** Returns one sentence per limitation met (no engine, an unreadable socket), for people. */
  public List<String> notes() {
    List<String> all = new ArrayList<>(notes);
    all.addAll(containers.notes());
    all.addAll(forwards.notes());
    return all;
  }
}
