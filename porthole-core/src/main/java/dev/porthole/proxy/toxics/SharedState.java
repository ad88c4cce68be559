package dev.porthole.proxy.toxics;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Returns state that one toxic shares across all connections of a proxy (the proxy-wide rate of
 * {@code shared_bandwidth}). A proxy keeps one per toxic name and direction.
 */
public final class SharedState {
  private final ConcurrentHashMap<String, Object> values = new ConcurrentHashMap<>();

  /** Returns the value under {@code key}, made by {@code make} the first time. */
  @SuppressWarnings("unchecked")
  public <T> T get(String key, Supplier<T> make) {
    return (T) values.computeIfAbsent(key, k -> make.get());
  }
}
