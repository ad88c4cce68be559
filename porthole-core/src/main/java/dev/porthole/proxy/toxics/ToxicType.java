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

  /** Returns Long.class or Double.class for a known attribute, null for an unknown key. */
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
}
