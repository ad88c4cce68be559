package dev.porthole.proxy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Returns a toxic as the control plane keeps it and the API shows it.
 *
 * @param name unique per proxy across both directions
 * @param type the registered type ({@code latency}, …)
 * @param stream the direction exactly as the client typed it ({@code "UPSTREAM"} stays so)
 * @param direction the direction it acts on
 * @param toxicity the fraction of connections it applies to (a float, as in Toxiproxy)
 * @param attributes every attribute key of the type, in the type's order
 */
public record ToxicState(
    String name,
    String type,
    String stream,
    Direction direction,
    float toxicity,
    Map<String, Object> attributes) {
  public ToxicState {
    attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
  }

  /** Returns the engine's view of this toxic. */
  public ToxicSpec spec() {
    return new ToxicSpec(name, type, direction, toxicity, attributes);
  }
}
