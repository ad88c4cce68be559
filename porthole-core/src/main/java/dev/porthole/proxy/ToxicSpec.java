package dev.porthole.proxy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Returns one configured toxic of a proxy: what it is called, its type, the direction it acts on,
 * the fraction of links it applies to, and its attributes.
 *
 * @param name unique per proxy across both directions
 * @param type a {@link dev.porthole.proxy.toxics.ToxicRegistry} type name such as "latency"
 * @param direction the stream the toxic acts on
 * @param toxicity the chance, rolled per link (connection and direction), that the toxic acts; <= 0
 *     never, >= 1 always
 * @param attributes every attribute key of the type, in Toxiproxy's order; values Long or Double
 */
public record ToxicSpec(
    String name, String type, Direction direction, double toxicity, Map<String, Object> attributes) {

  public ToxicSpec {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name: must not be empty");
    }
    if (type == null || type.isBlank()) {
      throw new IllegalArgumentException("type: must not be empty");
    }
    Objects.requireNonNull(direction, "direction");
    if (Double.isNaN(toxicity)) {
      throw new IllegalArgumentException("toxicity: must be a number (got NaN)");
    }
    attributes =
        Collections.unmodifiableMap(
            new LinkedHashMap<>(attributes == null ? Map.of() : attributes));
  }

  /** Returns a spec that always applies (toxicity 1). */
  public static ToxicSpec of(
      String name, String type, Direction direction, Map<String, Object> attributes) {
    return new ToxicSpec(name, type, direction, 1.0, attributes);
  }
}
