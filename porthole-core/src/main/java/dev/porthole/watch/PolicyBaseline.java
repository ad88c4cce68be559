package dev.porthole.watch;

import dev.porthole.attribution.Origin;
import dev.porthole.attribution.OriginKind;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Returns a policy file (YAML text, commented) that expects exactly the listeners given: what
 * {@code porthole policy init} writes as a baseline to edit. A container's port is expected by its
 * container, image and compose project (the process holding it is the engine's); a dev server's
 * also by its project directory.
 */
public final class PolicyBaseline {
  private PolicyBaseline() {}

  /** Returns the YAML of a policy expecting {@code listeners}, stamped with {@code at}. */
  public static String yaml(List<Listener> listeners, String host, Instant at) {
    StringBuilder y = new StringBuilder();
    y.append("# porthole policy: baseline of ")
        .append(host)
        .append(" at ")
        .append(at)
        .append('\n')
        .append("# Edit freely; 'porthole policy check' tests the machine against it.\n")
        .append("# Actions: ignore | event | alert | quarantine (listeners: freeze, drop).\n")
        .append("unexpected: alert   # a listener no rule below expects\n")
        .append("mismatch: alert     # a listed port held by another process, user or scope\n")
        .append("exposure: event     # reachable from the network, and no rule states that scope\n")
        .append("down: alert         # a service below is not listening\n")
        .append("expected:\n");
    Set<String> rules = new LinkedHashSet<>();
    listeners.stream()
        .sorted(Comparator.comparingInt(Listener::port).thenComparing(l -> l.protocol().label()))
        .forEach(l -> rules.add(rule(l)));
    if (rules.isEmpty()) {
      y.append("  []\n");
    }
    rules.forEach(y::append);
    y.append("# Services that must be listening (\"down\" is raised when not), for example:\n")
        .append("services: []\n")
        .append("#  - name: postgres\n")
        .append("#    port: 5432\n");
    return y.toString();
  }

  private static String rule(Listener l) {
    StringBuilder r = new StringBuilder();
    r.append("  - port: ").append(l.port()).append('\n');
    r.append("    protocol: ").append(l.protocol().label()).append('\n');
    Origin o = l.origin();
    if (o != null && o.kind().equals(OriginKind.CONTAINER.label())) {
      // docker-proxy, dockerd or rootlessport holds the port, under a new PID each restart: the
      // container (and its image) is what should be there, so the rule names that instead.
      String engine = o.detail("engine");
      boolean named = "docker".equals(engine) || "podman".equals(engine);
      r.append("    origin: ").append(named ? engine : "container").append('\n');
      r.append("    container: ").append(quote(o.name())).append('\n');
      optional(r, "image", o.detail("image"));
      optional(r, "project", o.detail("composeProject"));
    } else if (l.owner() != null) {
      r.append("    process: ").append(quote(l.owner().name())).append('\n');
      r.append("    user: ").append(quote(l.owner().user())).append('\n');
      // A dev server's project directory survives restarts; the process name alone is "node".
      optional(r, "project", o == null ? null : o.detail("project"));
    }
    r.append("    scope: ").append(l.scope().label()).append('\n');
    return r.toString();
  }

  private static void optional(StringBuilder r, String key, String value) {
    if (value != null && !value.isEmpty()) {
      r.append("    ").append(key).append(": ").append(quote(value)).append('\n');
    }
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
