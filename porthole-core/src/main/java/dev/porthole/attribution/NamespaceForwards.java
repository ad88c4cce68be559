package dev.porthole.attribution;

import java.util.List;

/**
 * Names the listeners of forwarders into another network namespace: rootlesskit's port driver,
 * slirp4netns's {@code add_hostfwd} and pasta's {@code -t}/{@code -u}. Each becomes "forward into
 * namespace of PID N" with its guest port, or the container when the namespace is a rootless Podman
 * container's (its conmon's child lives there).
 */
final class NamespaceForwards {
  private static final List<String> TOOLS = List.of("rootlesskit", "slirp4netns", "pasta");

  private final NetNamespaces namespaces;
  private final PodmanRootless podman;

  NamespaceForwards(NetNamespaces namespaces, PodmanRootless podman) {
    this.namespaces = namespaces;
    this.podman = podman;
  }

  /** Returns true when {@code argv} is one of the forwarders this class reads. */
  static boolean isForwarder(List<String> argv) {
    return !argv.isEmpty() && TOOLS.contains(Argv.base(argv.getFirst()));
  }

  /** Returns the origin of host {@code port} held by forwarder {@code pid} run as {@code argv}. */
  Origin origin(int pid, List<String> argv, int port) {
    ForwardTarget t =
        switch (Argv.base(argv.getFirst())) {
          case "rootlesskit" -> RootlesskitPorts.target(argv, port, namespaces);
          case "slirp4netns" -> SlirpHostForwards.target(pid, argv, port, namespaces);
          default -> pasta(pid, argv, port);
        };
    String guest = t.guestPort() > 0 ? Integer.toString(t.guestPort()) : null;
    List<Integer> inside = t.ns() == null ? List.of() : namespaces.pidsIn(t.ns());
    if (t.ns() != null) {
      Origin container = podman.containerIn(t.ns(), guest == null ? null : guest + "/tcp", port);
      if (container != null) {
        return container.with("via", t.tool()).with("guestPort", guest);
      }
    }
    String where =
        inside.isEmpty() ? "another network namespace" : "namespace of PID " + inside.getFirst();
    return Origin.of(
        OriginKind.FORWARD,
        t.tool() + " forward into " + where + (guest == null ? "" : " port " + guest),
        "tool",
        t.tool(),
        "guestPort",
        guest,
        "namespacePid",
        inside.isEmpty() ? null : Integer.toString(inside.getFirst()),
        "netns",
        t.ns(),
        "problem",
        t.problem());
  }

  private ForwardTarget pasta(int pid, List<String> argv, int port) {
    String ns = namespaces.heldBy(pid);
    String last = argv.getLast();
    if (ns == null && last.matches("\\d{1,9}")) {
      ns = namespaces.of(Integer.parseInt(last));
    }
    String netnsPath = Argv.option(argv, "--netns", null);
    if (ns == null && netnsPath != null) {
      ns = namespaces.ofPath(netnsPath, namespaces.uid(pid));
    }
    int guest = PastaPorts.guestPort(argv, port);
    return new ForwardTarget(
        "pasta", ns, guest, guest < 0 ? "its -t/-u options name no port " + port : null);
  }
}
