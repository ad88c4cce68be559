package dev.porthole.attribution;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Names the container behind a port that rootlesskit forwards for a rootless dockerd. dockerd runs
 * in rootlesskit's child namespace and publishes the port there (docker-proxy inside); its own
 * Engine API socket, not the system's, knows the container. The socket is dockerd's {@code
 * -H}/{@code --host}, else its {@code DOCKER_HOST}, else {@code $XDG_RUNTIME_DIR/docker.sock}, else
 * {@code /run/user/UID/docker.sock} of rootlesskit's user. Each socket is asked once per command or
 * watch cycle (one {@link ContainerLookup} per socket).
 */
final class RootlessDocker {
  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  private final Path procRoot;
  private final NetNamespaces namespaces;
  private final ProcessArgs args;
  private final Map<Path, ContainerLookup> bySocket = new HashMap<>();
  private final Map<String, Integer> dockerdByNs = new HashMap<>();

  RootlessDocker(Path procRoot, NetNamespaces namespaces, ProcessArgs args) {
    this.procRoot = procRoot;
    this.namespaces = namespaces;
    this.args = args;
  }

  /**
   * Returns the container that publishes {@code guestPort} on the dockerd running in {@code ns},
   * {@code forward} with why it is unknown ({@code engineProblem}) when that engine cannot say, or
   * {@code forward} itself when no dockerd runs there.
   *
   * @param kitUid the user running rootlesskit, whose runtime directory holds the socket
   */
  Origin describe(Origin forward, String ns, int guestPort, int kitUid) {
    int pid = dockerdByNs.computeIfAbsent(ns, this::dockerdIn);
    if (pid < 0) {
      return forward;
    }
    Path socket = socket(pid, args.argv(pid), kitUid);
    ContainerLookup lookup =
        bySocket.computeIfAbsent(
            socket, s -> new ContainerLookup(DockerEngine.at(reachable(pid, s), TIMEOUT)));
    Origin c = guestPort > 0 ? lookup.byPublishedPort(guestPort, "tcp") : null;
    if (c != null) {
      return c.with("rootless", "true").with("engineSocket", socket.toString());
    }
    String problem = lookup.problem();
    return forward
        .with("engine", "docker")
        .with("engineSocket", socket.toString())
        .with(
            "engineProblem",
            problem != null
                ? problem
                : "the rootless engine publishes no container on port " + guestPort);
  }

  // Read once per namespace: a rootless engine publishing many ports is one dockerd.
  private int dockerdIn(String ns) {
    for (int pid : namespaces.pidsIn(ns)) {
      if (Argv.runs(args.argv(pid), "dockerd")) {
        return pid;
      }
    }
    return -1;
  }

  /** Returns one note per rootless engine that could not be asked. */
  List<String> notes() {
    List<String> notes = new ArrayList<>();
    bySocket.values().forEach(l -> notes.addAll(l.notes()));
    return notes;
  }

  private Path socket(int pid, List<String> argv, int kitUid) {
    List<String> hosts = new ArrayList<>(Argv.options(argv, "--host"));
    hosts.addAll(Argv.options(argv, "-H"));
    String shortJoined = Argv.option(argv, "--host", "-H");
    if (shortJoined != null) {
      hosts.add(shortJoined);
    }
    hosts.add(args.env(pid, "DOCKER_HOST"));
    for (String host : hosts) {
      if (host != null && host.startsWith("unix://")) {
        return Path.of(host.substring("unix://".length()));
      }
    }
    String runtimeDir = args.env(pid, "XDG_RUNTIME_DIR");
    return runtimeDir != null
        ? Path.of(runtimeDir, "docker.sock")
        : Path.of("/run/user/" + kitUid + "/docker.sock");
  }

  /**
   * Returns {@code socket} as this process reaches it: dockerd sees it in its own mount namespace,
   * so a path missing here is tried through {@code /proc/PID/root}.
   */
  private Path reachable(int pid, Path socket) {
    if (Files.exists(socket)) {
      return socket;
    }
    Path inside = procRoot.resolve(pid + "/root/" + socket);
    return Files.exists(inside) ? inside : socket;
  }
}
