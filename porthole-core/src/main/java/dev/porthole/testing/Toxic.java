package dev.porthole.testing;

import dev.porthole.proxy.ProxyException;
import dev.porthole.proxy.ProxyRegistry;
import dev.porthole.proxy.ToxicRequest;
import dev.porthole.proxy.ToxicState;
import java.time.Duration;
import java.util.Map;

/**
 * One toxic of a {@link LocalProxy}, live: each call changes it on the proxy at once, on open
 * connections too. New toxics act downstream (server to client) with toxicity 1, as in Toxiproxy.
 *
 * <pre>{@code
 * Toxic reset = proxy.toxics().resetPeer(Duration.ofMillis(100)).upstream().toxicity(0.5);
 * reset.remove();
 * }</pre>
 *
 * @since 0.1
 */
public class Toxic {
  private final ProxyRegistry registry;
  private final String proxy;
  private final String name;

  Toxic(ProxyRegistry registry, String proxy, String name) {
    this.registry = registry;
    this.proxy = proxy;
    this.name = name;
  }

  /** Returns the toxic's name, unique on its proxy ({@code latency_downstream}, ...). */
  public String name() {
    return name;
  }

  /** Returns the Toxiproxy type ({@code latency}, {@code bandwidth}, ...). */
  public String type() {
    return state().type();
  }

  /** Returns {@code upstream} or {@code downstream}. */
  public String stream() {
    return state().direction().label();
  }

  /** Returns the attributes as Toxiproxy shows them ({@code {"latency": 200, "jitter": 0}}). */
  public Map<String, Object> attributes() {
    return state().attributes();
  }

  /** Makes it act on bytes from the client to the server. */
  public Toxic upstream() {
    return move("upstream");
  }

  /** Makes it act on bytes from the server to the client (the default). */
  public Toxic downstream() {
    return move("downstream");
  }

  /**
   * Sets the chance, drawn per connection and direction, that the toxic acts.
   *
   * @param toxicity 0 (never) to 1 (always)
   */
  public Toxic toxicity(double toxicity) {
    if (!(toxicity >= 0 && toxicity <= 1)) {
      throw new IllegalArgumentException("toxicity: " + toxicity + " (expected: 0..1)");
    }
    call(() -> registry.updateToxic(proxy, name, Map.of(), toxicity));
    return this;
  }

  /** Sets one attribute by its Toxiproxy name ({@code "rate"}, {@code "timeout"}, ...). */
  public Toxic set(String attribute, Object value) {
    call(() -> registry.updateToxic(proxy, name, Map.of(attribute, value), null));
    return this;
  }

  /** Removes the toxic; the bytes it held are passed on (a timeout's links are closed). */
  public void remove() {
    call(() -> registry.removeToxic(proxy, name));
  }

  final ToxicState state() {
    return call(() -> registry.toxic(proxy, name));
  }

  private Toxic move(String stream) {
    ToxicState t = state();
    if (t.direction().label().equals(stream)) {
      return this;
    }
    call(
        () -> {
          registry.removeToxic(proxy, name);
          return registry.addToxic(
              proxy,
              new ToxicRequest(name, t.type(), stream, (double) t.toxicity(), t.attributes()));
        });
    return this;
  }

  /** Returns {@code d} in whole milliseconds, or throws naming {@code what}. */
  static long millis(Duration d, String what) {
    if (d == null || d.isNegative()) {
      throw new IllegalArgumentException(what + ": " + d + " (expected: >= 0)");
    }
    return d.toMillis();
  }

  static <T> T call(java.util.function.Supplier<T> action) {
    try {
      return action.get();
    } catch (ProxyException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static void call(Runnable action) {
    call(
        () -> {
          action.run();
          return null;
        });
  }

  @Override
  public String toString() {
    return name + attributes();
  }
}
