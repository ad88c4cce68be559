package dev.porthole.proxy;

import java.util.Map;

/**
 * Returns a request to add a toxic, as decoded from JSON; {@code null} means "not given".
 *
 * @param name defaults to {@code <type>_<stream>}
 * @param type a registered type
 * @param stream {@code upstream} or {@code downstream}, any case; defaults to downstream
 * @param toxicity defaults to 1
 * @param attributes raw JSON values (Long, BigInteger, Double, String, Boolean, Map, List); missing
 *     keys take the type's default, unknown keys are ignored
 */
public record ToxicRequest(
    String name, String type, String stream, Double toxicity, Map<String, Object> attributes) {}
