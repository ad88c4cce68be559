package dev.porthole.proxy.toxics;

import dev.porthole.sockets.Protocol;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Returns a {@link ToxicType} built from a list of attributes with ranges, the protocols it
 * supports, an optional cross-attribute check and a factory.
 */
final class BasicToxicType implements ToxicType {
  /** Returns the largest time attribute accepted: one day in ms, so no wait overflows. */
  static final long MAX_MS = 86_400_000L;

  /** Returns the longest string attribute accepted (a body, a path glob). */
  static final int MAX_STRING = 65_536;

  private record Attr(String key, Object defaultValue, double min, double max) {}

  private final String name;
  private final List<Attr> attrs;
  private final Set<Protocol> protocols;
  private final Consumer<Map<String, Object>> check;
  private final Function<Map<String, Object>, Toxic> factory;
  private final boolean atConnect;

  private BasicToxicType(Builder b, Function<Map<String, Object>, Toxic> factory) {
    this.name = b.name;
    this.attrs = List.copyOf(b.attrs);
    this.protocols = Collections.unmodifiableSet(EnumSet.copyOf(b.protocols));
    this.check = b.check;
    this.factory = factory;
    this.atConnect = b.atConnect;
  }

  static Builder builder(String name) {
    return new Builder(name);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public LinkedHashMap<String, Object> defaults() {
    LinkedHashMap<String, Object> map = new LinkedHashMap<>();
    attrs.forEach(a -> map.put(a.key(), a.defaultValue()));
    return map;
  }

  @Override
  public Class<?> attributeType(String key) {
    for (Attr a : attrs) {
      if (a.key().equals(key)) {
        return a.defaultValue().getClass();
      }
    }
    return null;
  }

  @Override
  public void validate(Map<String, Object> attributes) {
    Map<String, Object> full = withDefaults(attributes);
    for (Attr a : attrs) {
      Object value = full.get(a.key());
      if (a.defaultValue() instanceof String) {
        checkString(a, value);
        continue;
      }
      if (!(value instanceof Number n)) {
        throw new IllegalArgumentException(name + ": " + a.key() + " must be a number");
      }
      boolean integral = a.defaultValue() instanceof Long;
      if (integral && !(n instanceof Long || n instanceof Integer)) {
        throw new IllegalArgumentException(
            name + ": " + a.key() + " must be a whole number (got " + n + ")");
      }
      double d = n.doubleValue();
      if (d < a.min() || d > a.max()) {
        throw new IllegalArgumentException(
            name + ": " + a.key() + " must be " + range(a, integral) + " (got " + n + ")");
      }
    }
    check.accept(full);
  }

  private void checkString(Attr a, Object value) {
    if (!(value instanceof String s)) {
      throw new IllegalArgumentException(name + ": " + a.key() + " must be a string");
    }
    if (s.length() > MAX_STRING) {
      throw new IllegalArgumentException(
          name + ": " + a.key() + " must be at most " + MAX_STRING + " characters");
    }
  }

  private static String range(Attr a, boolean integral) {
    return integral
        ? "between " + (long) a.min() + " and " + (long) a.max()
        : "between " + a.min() + " and " + a.max();
  }

  @Override
  public boolean atConnect() {
    return atConnect;
  }

  @Override
  public boolean supports(Protocol protocol) {
    return protocols.contains(protocol);
  }

  @Override
  public Toxic create(Map<String, Object> attributes) {
    Map<String, Object> full = withDefaults(attributes);
    validate(full);
    return factory.apply(full);
  }

  private Map<String, Object> withDefaults(Map<String, Object> attributes) {
    Map<String, Object> full = defaults();
    if (attributes != null) {
      attributes.forEach((k, v) -> full.computeIfPresent(k, (key, old) -> v == null ? old : v));
    }
    return full;
  }

  /** Returns attribute {@code key} as a long (it has been validated). */
  static long longAttr(Map<String, Object> attributes, String key) {
    return ((Number) attributes.get(key)).longValue();
  }

  /** Returns attribute {@code key} as a string (it has been validated). */
  static String stringAttr(Map<String, Object> attributes, String key) {
    return (String) attributes.get(key);
  }

  /** Returns attribute {@code key} as a double (it has been validated). */
  static double doubleAttr(Map<String, Object> attributes, String key) {
    return ((Number) attributes.get(key)).doubleValue();
  }

  /** Collects a type's attributes in Toxiproxy's order. */
  static final class Builder {
    private final String name;
    private final List<Attr> attrs = new ArrayList<>();
    private final Set<Protocol> protocols = EnumSet.of(Protocol.TCP);
    private Consumer<Map<String, Object>> check = a -> {};
    private boolean atConnect;

    private Builder(String name) {
      this.name = name;
    }

    Builder attr(String key, long defaultValue, long min, long max) {
      attrs.add(new Attr(key, defaultValue, min, max));
      return this;
    }

    Builder attr(String key, double defaultValue, double min, double max) {
      attrs.add(new Attr(key, defaultValue, min, max));
      return this;
    }

    /** Adds a string attribute (porthole's own types only: Toxiproxy's are all numbers). */
    Builder attr(String key, String defaultValue) {
      attrs.add(new Attr(key, defaultValue, 0, 0));
      return this;
    }

    /** Adds the {@code method} and {@code path} request filter every HTTP toxic takes. */
    Builder httpFilter() {
      return attr("method", "").attr("path", "");
    }

    Builder udp() {
      protocols.add(Protocol.UDP);
      return this;
    }

    Builder udpOnly() {
      protocols.clear();
      protocols.add(Protocol.UDP);
      return this;
    }

    Builder atConnect() {
      atConnect = true;
      return this;
    }

    /** Requires attribute {@code key} to be > 0. */
    Builder positive(String key) {
      Consumer<Map<String, Object>> before = check;
      check = a -> {
        before.accept(a);
        long value = longAttr(a, key);
        if (value <= 0) {
          throw new IllegalArgumentException(name + ": " + key + " must be > 0 (got " + value + ")");
        }
      };
      return this;
    }

    /** Requires attribute {@code key} to be <= attribute {@code limit}. */
    Builder notAbove(String key, String limit) {
      Consumer<Map<String, Object>> before = check;
      check = a -> {
        before.accept(a);
        long value = longAttr(a, key);
        long max = longAttr(a, limit);
        if (value > max) {
          throw new IllegalArgumentException(name + ": " + key + " must be <= " + limit
              + " (got " + value + " > " + max + ")");
        }
      };
      return this;
    }

    ToxicType build(Function<Map<String, Object>, Toxic> factory) {
      return new BasicToxicType(this, factory);
    }
  }
}
