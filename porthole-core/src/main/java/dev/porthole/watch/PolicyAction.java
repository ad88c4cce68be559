package dev.porthole.watch;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;

/** Returns what the watcher does with a finding: nothing, record an event, or also alert. */
public enum PolicyAction {
  /** Not recorded. */
  IGNORE,
  /** Recorded in the store and the log, shown by {@code porthole events}. */
  EVENT,
  /** Recorded, and sent to the webhook and the desktop. */
  ALERT;

  /** Returns the action a policy file names ("ignore", "event", "alert"). */
  @JsonCreator
  public static PolicyAction parse(String text) {
    for (PolicyAction a : values()) {
      if (a.name().equalsIgnoreCase(text == null ? "" : text.strip())) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "unknown action '" + text + "' (expected: ignore, event, alert)");
  }

  /** Returns the lower-case name used in policy files. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
