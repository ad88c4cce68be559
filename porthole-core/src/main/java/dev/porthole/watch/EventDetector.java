package dev.porthole.watch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Returns the events between one snapshot of listeners and the next: the diff, the policy and the
 * expected services. Pure (no I/O), so it is tested on made-up listeners.
 *
 * <p>Exposure and violation events are raised when a listener enters that condition, not on every
 * snapshot; a service is reported down once, and up once when it returns.
 */
public final class EventDetector {
  private Map<String, Listener> previous = new LinkedHashMap<>();
  private final Map<String, ProcessDetails> lastOwnerByPort = new HashMap<>();
  private final Map<String, String> violating = new HashMap<>();
  private final Set<String> exposed = new HashSet<>();
  private final Map<String, PolicyAction> down = new HashMap<>();

  /** Returns what one snapshot changed: the events, and the listeners that began and ended. */
  public record Step(List<WatchEvent> events, List<Listener> opened, List<Listener> closed) {}

  /**
   * Starts from a known state (the listeners a previous run left open in the store, and who last
   * held each port) instead of from nothing.
   */
  public void restore(List<Listener> open, Map<String, ProcessDetails> lastOwners) {
    previous = new LinkedHashMap<>();
    for (Listener l : open) {
      previous.put(l.key(), l);
    }
    lastOwnerByPort.putAll(lastOwners);
  }

  /** Returns the listeners as of the last step. */
  public List<Listener> current() {
    return List.copyOf(previous.values());
  }

  /** Returns the events from the previous snapshot to {@code now} under {@code policy}. */
  public Step step(List<Listener> now, Policy policy, Instant time) {
    String at = time.toString();
    Events out = new Events(at);
    List<Listener> opened = new ArrayList<>();
    List<Listener> closed = new ArrayList<>();
    // Each listener's key is made once a step: at 1,000 listeners, making it at every use was a
    // third of a watch cycle's CPU.
    Map<String, Listener> next = new LinkedHashMap<>();
    for (Listener l : now) {
      next.putIfAbsent(l.key(), l);
    }
    for (Map.Entry<String, Listener> e : next.entrySet()) {
      String key = e.getKey();
      Listener l = e.getValue();
      Listener before = previous.get(key);
      String portKey = null;
      if (before == null) {
        opened.add(l);
        out.listener(EventType.OPENED, l, null, false, "listening: " + describe(l));
        portKey = portKey(l);
        ownerChange(l, lastOwnerByPort.get(portKey), out);
      } else if (l.owner() != null
          && before.owner() != null
          && !l.owner().sameOwnerAs(before.owner())) {
        closed.add(before);
        opened.add(l);
        ownerChange(l, before.owner(), out);
      }
      if (l.owner() != null) {
        lastOwnerByPort.put(portKey != null ? portKey : portKey(l), l.owner());
      }
      exposure(l, key, policy, out);
      violation(l, key, policy, out);
    }
    for (Map.Entry<String, Listener> e : previous.entrySet()) {
      String key = e.getKey();
      if (!next.containsKey(key)) {
        Listener l = e.getValue();
        closed.add(l);
        out.listener(EventType.CLOSED, l, null, false, "stopped listening: " + describe(l));
        violating.remove(key);
        exposed.removeIf(k -> k.startsWith(key + "#"));
      }
    }
    services(next.values(), policy, out);
    previous = next;
    return new Step(out.list, opened, closed);
  }

  /** Returns a policy-rejected event (the watcher keeps its last good policy). */
  public static WatchEvent policyRejected(String reason, Instant time) {
    return new WatchEvent(
        0,
        time.toString(),
        EventType.POLICY_REJECTED.label(),
        false,
        null,
        null,
        0,
        null,
        null,
        null,
        "policy rejected, keeping the last good one: " + reason,
        null);
  }

  private void ownerChange(Listener l, ProcessDetails before, Events out) {
    if (before != null && l.owner() != null && !l.owner().sameOwnerAs(before)) {
      out.listener(
          EventType.OWNER_CHANGED,
          l,
          before,
          false,
          "port "
              + l.port()
              + " changed owner: "
              + before.label()
              + " -> "
              + l.owner().label()
              + " on "
              + l.key());
    }
  }

  private void exposure(Listener l, String key, Policy policy, Events out) {
    if (!l.exposed() || policy.exposure() == PolicyAction.IGNORE || policy.exposureIntended(l)) {
      if (!exposed.isEmpty()) {
        exposed.remove(exposureId(l, key));
      }
      return;
    }
    if (exposed.add(exposureId(l, key))) {
      String where =
          l.scope() == dev.porthole.sockets.BindScope.ALL_INTERFACES
              ? "all interfaces"
              : "non-loopback address " + l.address();
      out.listener(
          EventType.EXPOSED,
          l,
          null,
          policy.exposure() == PolicyAction.ALERT,
          "exposed to the network: " + describe(l) + " is bound to " + where);
    }
  }

  private static String exposureId(Listener l, String key) {
    return key + "#" + (l.owner() == null ? "?" : l.owner().pid());
  }

  private void violation(Listener l, String key, Policy policy, Events out) {
    Policy.Violation v = policy.check(l);
    if (v == null || v.action() == PolicyAction.IGNORE) {
      violating.remove(key);
      return;
    }
    if (!v.message().equals(violating.put(key, v.message()))) {
      out.listener(EventType.VIOLATION, l, null, v.action().alerts(), v.message());
    }
  }

  private void services(Iterable<Listener> now, Policy policy, Events out) {
    Set<String> names = new HashSet<>();
    for (ExpectedService s : policy.services()) {
      names.add(s.name());
      boolean up = false;
      for (Listener l : now) {
        up |= s.providedBy(l);
      }
      if (!up && policy.down() != PolicyAction.IGNORE && !down.containsKey(s.name())) {
        down.put(s.name(), policy.down());
        out.service(
            EventType.DOWN,
            s,
            policy.down() == PolicyAction.ALERT,
            "expected service "
                + s.name()
                + " is not listening on "
                + s.protocol()
                + " port "
                + s.port());
      } else if (up && down.containsKey(s.name())) {
        PolicyAction was = down.remove(s.name());
        out.service(
            EventType.UP,
            s,
            was == PolicyAction.ALERT,
            "expected service "
                + s.name()
                + " is listening again on "
                + s.protocol()
                + " port "
                + s.port());
      }
    }
    down.keySet().retainAll(names); // a service dropped from the policy is no longer down
  }

  private static String portKey(Listener l) {
    return l.protocol().label() + "/" + l.port();
  }

  static String describe(Listener l) {
    return l.key()
        + " ("
        + (l.owner() == null ? "owner unknown" : l.owner().label())
        + (l.origin() == null ? "" : " for " + l.origin().summary())
        + ")";
  }

  /** Collects events of one step, all stamped with the same time. */
  private static final class Events {
    final String at;
    final List<WatchEvent> list = new ArrayList<>();

    Events(String at) {
      this.at = at;
    }

    void listener(EventType type, Listener l, ProcessDetails previous, boolean alert, String msg) {
      String action =
          l.owner() == null || type == EventType.CLOSED ? null : "porthole kill " + l.port();
      list.add(
          new WatchEvent(
              0,
              at,
              type.label(),
              alert,
              l.protocol().label(),
              l.address(),
              l.port(),
              l.scope().label(),
              l.owner(),
              previous,
              msg,
              action,
              l.origin()));
    }

    void service(EventType type, ExpectedService s, boolean alert, String msg) {
      list.add(
          new WatchEvent(
              0,
              at,
              type.label(),
              alert,
              s.protocol(),
              null,
              s.port(),
              null,
              null,
              null,
              msg,
              null));
    }
  }
}
