package dev.porthole.watch;

import java.util.ArrayList;
import java.util.List;

/**
 * Returns the events of the policy's {@code quarantine} action: for each violation event whose
 * listener the policy wants quarantined, the outcome ({@code quarantined} or {@code
 * quarantine-failed}), an alert either way. A violation event is raised once per listener (when it
 * starts violating), so each listener is quarantined at most once while it stays open.
 */
final class QuarantineStep {
  private QuarantineStep() {}

  /** Returns the events that quarantining the listeners behind {@code events} raised. */
  static List<WatchEvent> run(
      List<WatchEvent> events, List<Listener> now, Policy policy, ListenerQuarantine hook) {
    List<WatchEvent> out = new ArrayList<>();
    for (WatchEvent e : events) {
      if (!e.type().equals(EventType.VIOLATION.label())) {
        continue;
      }
      Listener l = find(now, e);
      Policy.Violation v = l == null ? null : policy.check(l);
      if (v != null && v.action() == PolicyAction.QUARANTINE) {
        out.add(outcome(e, l, hook));
      }
    }
    return out;
  }

  private static Listener find(List<Listener> now, WatchEvent e) {
    for (Listener l : now) {
      if (l.protocol().label().equals(e.protocol())
          && l.port() == e.port()
          && l.address().equals(e.address())) {
        return l;
      }
    }
    return null;
  }

  private static WatchEvent outcome(WatchEvent cause, Listener l, ListenerQuarantine hook) {
    String who = l.owner() == null ? "an unknown process" : l.owner().label();
    String message;
    String type;
    String action;
    if (hook == null) {
      type = EventType.QUARANTINE_FAILED.label();
      message = "not quarantined: " + who + " on " + l.key() + ": this watch cannot quarantine";
      action = cause.action();
    } else {
      try {
        String id = hook.quarantine(l);
        type = EventType.QUARANTINED.label();
        message =
            "quarantined "
                + id
                + ": "
                + who
                + " is stopped (SIGSTOP) and "
                + l.key()
                + " is dropped, by the policy";
        action = "porthole quarantine release " + id;
      } catch (IllegalStateException ex) {
        type = EventType.QUARANTINE_FAILED.label();
        message = "not quarantined: " + who + " on " + l.key() + ": " + ex.getMessage();
        action = cause.action();
      }
    }
    return new WatchEvent(
        0,
        cause.time(),
        type,
        true,
        cause.protocol(),
        cause.address(),
        cause.port(),
        cause.scope(),
        cause.process(),
        null,
        message,
        action,
        cause.origin());
  }
}
