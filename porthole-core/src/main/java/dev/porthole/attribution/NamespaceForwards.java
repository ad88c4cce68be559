package dev.porthole.attribution;

import java.util.List;

/**
 * Names the listeners of forwarders into another network namespace: rootlesskit's port driver,
 * slirp4netns's {@code add_hostfwd} and pasta's {@code -t}/{@code -u}. Each becomes "forward into
 * namespace of PID N" with its guest port, or the container when the namespace is a rootless Podman
 * container's (its conmon's child lives there) or holds a rootless dockerd that publishes the guest
 * port.
 */
final class NamespaceForwards {
  private static final List<String> TOOLS = List.of("rootlesskit", "slirp4netns", "pasta");

  private final NetNamespaces namespaces;
  private final PodmanRootless podman;
  private final RootlessDocker docker;
  private final ProcessArgs args;

  NamespaceForwards(
      NetNamespaces namespaces, PodmanRootless podman, RootlessDocker docker, ProcessArgs args) {
    this.namespaces = namespaces;
    this.podman = podman;
    this.docker = docker;
    this.args = args;
  }

  /** Returns true when {@code argv} is one of the forwarders this class reads. */
  static boolean isForwarder(List<String> argv) {
    return !argv.isEmpty() && TOOLS.contains(Argv.base(argv.getFirst()));
  }

  /** Returns the origin of host {@code port} held by forwarder {@code pid} run as {@code argv}. */
  Origin origin(int pid, List<String> argv, int port) {
    ForwardTarget t =
        switch (Argv.base(argv.getFirst())) {
          case "rootlesskit" -> RootlesskitPorts.target(pid, argv, port, namespaces, args);
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
    Origin forward = forward(t, where, guest, inside);
    if (t.ns() != null && t.tool().equals("rootlesskit")) {
      Origin o = docker.describe(forward, t.ns(), t.guestPort(), namespaces.uid(pid));
      boolean named = o.kind().equals(OriginKind.CONTAINER.label());
      return named ? o.with("via", t.tool()).with("guestPort", guest) : o;
    }
    return forward;
  }

  /** Returns the notes of the rootless Docker engines asked (one that could not be, and why). */
  List<String> notes() {
    return docker.notes();
  }

  private static Origin forward(ForwardTarget t, String where, String guest, List<Integer> inside) {
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
