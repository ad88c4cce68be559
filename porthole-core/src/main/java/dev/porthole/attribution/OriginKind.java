package dev.porthole.attribution;

/** The kinds of {@link Origin}; each label is part of the {@code --json} contract. */
public enum OriginKind {
  /** A Docker or Podman container's published port (docker-proxy and the Engine API). */
  CONTAINER("container"),
  /** A listener inside another network namespace (a container's or another process's own). */
  NAMESPACE("namespace"),
  /** A VM's host port forward (QEMU {@code hostfwd}). */
  VM("vm"),
  /** An {@code ssh -L}, {@code -R} or {@code -D} tunnel. */
  SSH_TUNNEL("ssh-tunnel"),
  /** A {@code kubectl port-forward}. */
  KUBERNETES("kubectl-port-forward"),
  /** A generic forward such as socat. */
  FORWARD("forward"),
  /** One of porthole's own proxies, or its daemon. */
  PORTHOLE("porthole"),
  /** A language's development server, with its framework and project. */
  DEV_SERVER("dev-server");

  private final String label;

  OriginKind(String label) {
    this.label = label;
  }

  /** Returns the stable name used in JSON. */
  public String label() {
    return label;
  }

  /** Returns the kind whose label is {@code label}. */
  public static OriginKind fromLabel(String label) {
    for (OriginKind k : values()) {
      if (k.label.equals(label)) {
        return k;
      }
    }
    throw new IllegalArgumentException("kind: unknown '" + label + "'");
  }

  private static String compose(Origin o) {
    String project = o.detail("composeProject");
    String service = o.detail("composeService");
    return project == null ? "" : ", compose " + project + (service == null ? "" : "/" + service);
  }

  String summary(Origin o) {
    return switch (this) {
      case CONTAINER ->
          "container "
              + o.name()
              + (o.detail("image") == null ? "" : " (" + o.detail("image") + compose(o) + ")")
              + (o.detail("containerPort") == null ? "" : " port " + o.detail("containerPort"));
      case NAMESPACE -> o.name();
      case VM -> o.name() + " guest port " + o.detail("guestPort");
      case DEV_SERVER ->
          o.name()
              // A plain `java -jar` or `node x.js` may be any program, not a dev server.
              + (o.name().equals(o.detail("framework")) ? " dev server" : "")
              + (o.detail("project") == null ? "" : " in " + o.detail("project"));
      default -> o.name();
    };
  }
}
