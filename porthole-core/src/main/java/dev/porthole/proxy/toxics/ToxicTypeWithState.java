package dev.porthole.proxy.toxics;

import dev.porthole.sockets.Protocol;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/** Returns a toxic type whose handlers share state across a proxy's connections. */
final class ToxicTypeWithState implements ToxicType {
  private final ToxicType base;
  private final BiFunction<Map<String, Object>, SharedState, Toxic> factory;

  ToxicTypeWithState(
      ToxicType base, BiFunction<Map<String, Object>, SharedState, Toxic> factory) {
    this.base = base;
    this.factory = factory;
  }

  @Override
  public String name() {
    return base.name();
  }

  @Override
  public LinkedHashMap<String, Object> defaults() {
    return base.defaults();
  }

  @Override
  public Class<?> attributeType(String key) {
    return base.attributeType(key);
  }

  @Override
  public void validate(Map<String, Object> attributes) {
    base.validate(attributes);
  }

  @Override
  public boolean supports(Protocol protocol) {
    return base.supports(protocol);
  }

  @Override
  public Toxic create(Map<String, Object> attributes) {
    return base.create(attributes);
  }

  @Override
  public Toxic create(Map<String, Object> attributes, SharedState shared) {
    Map<String, Object> full = defaults();
    if (attributes != null) {
      attributes.forEach((k, v) -> full.computeIfPresent(k, (key, old) -> v == null ? old : v));
    }
    validate(full);
    return factory.apply(full, shared);
  }
}
