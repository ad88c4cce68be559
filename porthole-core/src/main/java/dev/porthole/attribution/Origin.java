package dev.porthole.attribution;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What really owns a listener, beyond the process that holds the socket: a container, a VM's port
 * forward, a tunnel, a forward, one of porthole's proxies or a dev server. In {@code --json} as
 * {@code {"kind": ..., "name": ..., "details": {...}}}; kinds and detail keys are stable.
 *
 * @param kind one of {@link OriginKind}'s labels ({@code container}, {@code vm}, ...)
 * @param name what people call it: the container's name, "vite", "ssh -L to db.internal:5432"
 * @param details kind-specific facts in a fixed order (image, guestPort, project, ...), never null
 */
public record Origin(String kind, String name, Map<String, String> details) {
  public Origin {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  /** Returns an origin of {@code kind} with details given as alternating keys and values. */
  public static Origin of(OriginKind kind, String name, String... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("keysAndValues: odd count " + keysAndValues.length);
    }
    Map<String, String> details = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (keysAndValues[i + 1] != null && !keysAndValues[i + 1].isEmpty()) {
        details.put(keysAndValues[i], keysAndValues[i + 1]);
      }
    }
    return new Origin(kind.label(), name, details);
  }

  /** Returns a copy with {@code key} set to {@code value} (left out when null or empty). */
  public Origin with(String key, String value) {
    if (value == null || value.isEmpty()) {
      return this;
    }
    Map<String, String> more = new LinkedHashMap<>(details);
    more.put(key, value);
    return new Origin(kind, name, more);
  }

  /** Returns the detail {@code key}, or null. */
  public String detail(String key) {
    return details.get(key);
  }

  /** Returns one short phrase for tables: "container db (postgres:16)", "vite dev server". */
  public String summary() {
    return OriginKind.fromLabel(kind).summary(this);
  }
}
