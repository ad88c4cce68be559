package dev.porthole.watch;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Returns a policy file (YAML text, commented) that expects exactly the listeners given: what
 * {@code porthole policy init} writes as a baseline to edit.
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
    if (l.owner() != null) {
      r.append("    process: ").append(quote(l.owner().name())).append('\n');
      r.append("    user: ").append(quote(l.owner().user())).append('\n');
    }
    r.append("    scope: ").append(l.scope().label()).append('\n');
    return r.toString();
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
