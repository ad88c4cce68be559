package dev.porthole.proxy.toxics;

import dev.porthole.sockets.Protocol;
import java.util.LinkedHashMap;
import java.util.Map;

/** Returns the description of one kind of toxic: its name, attributes and how to make one. */
public interface ToxicType {
  /** Returns the type name, such as "latency". */
  String name();

  /** Returns every attribute key in Toxiproxy order with its default. */
  LinkedHashMap<String, Object> defaults();

  /**
   * Returns Long.class, Double.class or String.class (porthole's HTTP toxics) for a known
   * attribute, null for an unknown key.
   */
  Class<?> attributeType(String key);

  /**
   * Checks values that would crash or misbehave, throwing IllegalArgumentException with a message
   * such as "slicer: average_size must be > 0 (got 0)". Missing keys take their default.
   */
  void validate(Map<String, Object> attributes);

  /** Returns whether the toxic can act on a proxy of this protocol. */
  boolean supports(Protocol protocol);

  /** Returns a new handler for one link; missing attributes take their default. */
  Toxic create(Map<String, Object> attributes);

  /**
   * Returns a new handler for one link of a proxy whose toxic of this name and direction keeps
   * {@code shared} across connections. Most types share nothing and ignore it.
   */
  default Toxic create(Map<String, Object> attributes, SharedState shared) {
    return create(attributes);
  }

  /**
   * Returns when the toxic acts: {@code false} for toxics on a link's bytes, {@code true} for
   * faults applied once when a connection is accepted (refuse, connect_delay, black_hole). Those
   * act whatever their stream.
   */
  default boolean atConnect() {
    return false;
  }
}
