package dev.porthole.watch;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;

/**
 * Returns what the watcher does with a finding: nothing, record an event, also alert, or also
 * quarantine the listener's process.
 */
public enum PolicyAction {
  /** Not recorded. */
  IGNORE,
  /** Recorded in the store and the log, shown by {@code porthole events}. */
  EVENT,
  /** Recorded, and sent to the webhook and the desktop. */
  ALERT,
  /**
   * Alerted, and the listener's process quarantined: frozen (SIGSTOP) and its ports cut off with
   * tagged DROP rules, as {@code porthole quarantine} does, with the same refusals. Opt-in, and
   * only for listeners ({@code unexpected}, {@code mismatch}); the watch must be able to change
   * the packet filter (root or CAP_NET_ADMIN), else a {@code quarantine-failed} event says so.
   */
  QUARANTINE;

  /** Returns true when the finding goes to the webhook and the desktop. */
  public boolean alerts() {
    return this == ALERT || this == QUARANTINE;
  }

  /** Returns the action a policy file names ("ignore", "event", "alert", "quarantine"). */
  @JsonCreator
  public static PolicyAction parse(String text) {
    for (PolicyAction a : values()) {
      if (a.name().equalsIgnoreCase(text == null ? "" : text.strip())) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "unknown action '" + text + "' (expected: ignore, event, alert, quarantine)");
  }

  /** Returns the lower-case name used in policy files. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
