package dev.porthole.proxy;

import dev.porthole.proxy.toxics.ToxicRegistry;
import dev.porthole.proxy.toxics.ToxicType;
import dev.porthole.sockets.Protocol;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Returns toxics built or changed from API input, with Toxiproxy's checks in Toxiproxy's order and
 * porthole's range checks ({@link ToxicType#validate}) after them.
 */
final class ToxicFactory {
  private final ToxicRegistry types;

  ToxicFactory(ToxicRegistry types) {
    this.types = types;
  }

  /** Returns a new toxic for a proxy whose toxics are {@code existing}. */
  ToxicState create(Protocol protocol, List<ToxicState> existing, ToxicRequest req) {
    String stream = req.stream() == null || req.stream().isEmpty() ? "downstream" : req.stream();
    Direction direction =
        switch (stream.toLowerCase(Locale.ROOT)) {
          case "upstream" -> Direction.UPSTREAM;
          case "downstream" -> Direction.DOWNSTREAM;
          default ->
              throw ProxyException.bad("stream was invalid, can be either upstream or downstream");
        };
    String typeName = req.type() == null ? "" : req.type();
    String name = req.name() == null || req.name().isEmpty() ? typeName + "_" + stream : req.name();
    ToxicType type =
        types.type(typeName).orElseThrow(() -> ProxyException.bad("invalid toxic type"));
    if (existing.stream().anyMatch(t -> t.name().equals(name))) {
      throw new ProxyException(ProxyException.Kind.CONFLICT, "toxic already exists");
    }
    Names.check("toxic name", name);
    refuseUnknown(type, req.attributes());
    Map<String, Object> attributes = decode(type, type.defaults(), req.attributes());
    check(type, attributes);
    if (!type.supports(protocol)) {
      throw ProxyException.bad(
          "toxic type " + typeName + " does not work on " + protocol.label() + " proxies");
    }
    float toxicity = req.toxicity() == null ? 1f : toxicity(req.toxicity());
    return new ToxicState(name, typeName, stream, direction, toxicity, attributes);
  }

  /** Returns {@code current} with the given attributes merged in and toxicity replaced if given. */
  ToxicState update(ToxicState current, Map<String, Object> attributes, Double toxicity) {
    ToxicType type =
        types.type(current.type()).orElseThrow(() -> ProxyException.bad("invalid toxic type"));
    refuseUnknown(type, attributes);
    Map<String, Object> merged = decode(type, current.attributes(), attributes);
    check(type, merged);
    float t = toxicity == null ? current.toxicity() : toxicity(toxicity);
    return new ToxicState(
        current.name(), current.type(), current.stream(), current.direction(), t, merged);
  }

  /** Returns stored attributes (Jackson's Integer/Long/Double) in the type's exact classes. */
  Map<String, Object> restore(String typeName, Map<String, Object> stored) {
    ToxicType type =
        types.type(typeName).orElseThrow(() -> ProxyException.bad("invalid toxic type"));
    Map<String, Object> attributes = decode(type, type.defaults(), stored);
    check(type, attributes); // a newer porthole may have tightened a range
    return attributes;
  }

  /** Returns {@code value} as Go's float32, refusing what does not fit as Go's decoder does. */
  private static float toxicity(double value) {
    float f = (float) value;
    if (Float.isInfinite(f) || Float.isNaN(f)) {
      throw ProxyException.bad(
          "bad request body: json: cannot unmarshal number "
              + value
              + " into Go struct field ToxicWrapper.toxicity of type float32");
    }
    if (!(value >= 0 && value <= 1)) {
      // Toxiproxy takes 2 or -0.1 and means "always" or "never"; a typo should not mean that.
      throw ProxyException.bad(
          "toxicity: "
              + java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString()
              + " (expected: 0 to 1)");
    }
    return f;
  }

  /**
   * Throws a 400 naming the valid attributes when {@code given} holds a key {@code type} does not
   * have: Toxiproxy ignores it, so {@code latncy=300} would silently make a 0 ms latency.
   */
  private static void refuseUnknown(ToxicType type, Map<String, Object> given) {
    if (given == null) {
      return;
    }
    for (String key : given.keySet()) {
      if (!type.defaults().containsKey(key)) {
        throw ProxyException.bad(
            "unknown attribute '"
                + dev.porthole.text.Numbers.printable(key)
                + "' for toxic type "
                + type.name()
                + (type.defaults().isEmpty()
                    ? " (it has no attributes)"
                    : " (expected: " + String.join(", ", type.defaults().keySet()) + ")"));
      }
    }
  }

  private static void check(ToxicType type, Map<String, Object> attributes) {
    try {
      type.validate(attributes);
    } catch (IllegalArgumentException e) {
      throw ProxyException.bad(e.getMessage());
    }
  }

  /** Returns {@code base} with every known key of {@code given} decoded over it, in type order. */
  private static Map<String, Object> decode(
      ToxicType type, Map<String, Object> base, Map<String, Object> given) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String key : type.defaults().keySet()) {
      Object value = given == null ? null : given.get(key);
      out.put(
          key,
          value != null
              ? coerce(type, key, value)
              : base.getOrDefault(key, type.defaults().get(key)));
    }
    return out;
  }

  private static Object coerce(ToxicType type, String key, Object value) {
    if (type.attributeType(key) == String.class) {
      if (value instanceof String) {
        return value;
      }
      throw ProxyException.bad(type.name() + ": " + key + " must be a string");
    }
    boolean integer = type.attributeType(key) != Double.class;
    if (value instanceof Number n && integer) {
      if (value instanceof Long || value instanceof Integer || value instanceof Short) {
        return n.longValue();
      }
      if (value instanceof BigInteger b && b.bitLength() < 64) {
        return b.longValue();
      }
    } else if (value instanceof Number n) {
      return n.doubleValue();
    }
    String kind =
        switch (value) {
          case Number n -> "number " + n;
          case String s -> "string";
          case Boolean b -> "bool";
          case Map<?, ?> m -> "object";
          case List<?> l -> "array";
          default -> value.getClass().getSimpleName();
        };
    throw ProxyException.bad(
        "bad request body: json: cannot unmarshal "
            + kind
            + " into Go struct field "
            + goStruct(type.name())
            + ".attributes."
            + key
            + " of type "
            + (integer ? "int64" : "float64"));
  }

  /** Returns Toxiproxy's Go struct name for a type ({@code slow_close} gives SlowCloseToxic). */
  static String goStruct(String type) {
    StringBuilder sb = new StringBuilder();
    for (String part : type.split("_")) {
      if (!part.isEmpty()) {
        sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
    }
    return sb.append("Toxic").toString();
  }
}
