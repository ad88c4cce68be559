package dev.porthole.proxy;

import java.util.Locale;

/** Returns which way bytes flow through a proxied connection. */
public enum Direction {
  /** Client to server bytes (Toxiproxy's "upstream" stream). */
  UPSTREAM,
  /** Server to client bytes (Toxiproxy's "downstream" stream). */
  DOWNSTREAM;

  /** Returns the lower-case name Toxiproxy uses ("upstream", "downstream"). */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Returns the opposite direction. */
  public Direction other() {
    return this == UPSTREAM ? DOWNSTREAM : UPSTREAM;
  }

  /** Returns the direction for "upstream"/"downstream" in any case. */
  public static Direction parse(String text) {
    for (Direction d : values()) {
      if (d.name().equalsIgnoreCase(text)) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "stream: expected upstream or downstream (got " + text + ")");
  }
}
