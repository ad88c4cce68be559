package dev.porthole.watch;

import java.util.Locale;

/** Returns what happened to a listener, a service or the policy. */
public enum EventType {
  /** A socket started listening. */
  OPENED,
  /** A listener went away. */
  CLOSED,
  /** A port is now held by another process (another pid or executable) than before. */
  OWNER_CHANGED,
  /**
   * A listener is reachable from the network: bound to all interfaces or a non-loopback address.
   */
  EXPOSED,
  /** A listener the policy does not expect, or one held by a process the policy does not name. */
  VIOLATION,
  /** An expected service is not listening. */
  DOWN,
  /** An expected service that was down listens again. */
  UP,
  /** A policy file could not be loaded; the last good policy stays in force. */
  POLICY_REJECTED,
  /** The policy's {@code quarantine} action froze a listener's process and cut off its ports. */
  QUARANTINED,
  /** The policy's {@code quarantine} action was refused or failed; the message says why. */
  QUARANTINE_FAILED;

  /** Returns the label used on the command line and in JSON ("opened", "owner-changed", …). */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Returns the type a label names, or throws naming the labels that exist. */
  public static EventType fromLabel(String label) {
    for (EventType t : values()) {
      if (t.label().equalsIgnoreCase(label.strip()) || t.name().equalsIgnoreCase(label.strip())) {
        return t;
      }
    }
    StringBuilder known = new StringBuilder();
    for (EventType t : values()) {
      known.append(known.isEmpty() ? "" : ", ").append(t.label());
    }
    throw new IllegalArgumentException(
        "unknown event type '" + label + "' (expected: " + known + ")");
  }
}
