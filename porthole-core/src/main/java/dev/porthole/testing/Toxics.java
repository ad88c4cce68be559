package dev.porthole.testing;

import dev.porthole.proxy.ProxyException;
import dev.porthole.proxy.ProxyRegistry;
import dev.porthole.proxy.ToxicRequest;
import dev.porthole.proxy.ToxicState;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The toxics of one {@link LocalProxy}: each method adds one, acting downstream with toxicity 1,
 * and returns it for fine-tuning. Types, attributes and behaviour are Toxiproxy's (the daemon's
 * engine runs them), with durations as {@link Duration}s instead of milliseconds.
 *
 * <pre>{@code
 * proxy.toxics().latency(Duration.ofMillis(200)).jitter(Duration.ofMillis(20));
 * proxy.toxics().bandwidth(64).upstream();          // 64 KB/s client to server
 * proxy.toxics().resetPeer(Duration.ZERO);          // every connection reset at once
 * }</pre>
 *
 * @since 0.1
 */
public final class Toxics {
  private final ProxyRegistry registry;
  private final String proxy;

  Toxics(ProxyRegistry registry, String proxy) {
    this.registry = registry;
    this.proxy = proxy;
  }

  /** Adds a delay of {@code latency} to every chunk (Toxiproxy {@code latency}). */
  public LatencyToxic latency(Duration latency) {
    String name = add("latency", Map.of("latency", Toxic.millis(latency, "latency")));
    return new LatencyToxic(registry, proxy, name);
  }

  /** Limits the link to {@code kilobytesPerSecond} KB/s, KB = 1000 bytes ({@code bandwidth}). */
  public Toxic bandwidth(long kilobytesPerSecond) {
    if (kilobytesPerSecond < 1) {
      throw new IllegalArgumentException(
          "kilobytesPerSecond: " + kilobytesPerSecond + " (expected: >= 1; use cut() to stop)");
    }
    return handle(add("bandwidth", Map.of("rate", kilobytesPerSecond)));
  }

  /** Resets the connection (TCP RST) {@code after} it opens; zero resets at once. */
  public Toxic resetPeer(Duration after) {
    return handle(add("reset_peer", Map.of("timeout", Toxic.millis(after, "after"))));
  }

  /**
   * Stops all data and closes the connection once {@code idle} passes with no data ({@code
   * timeout}); zero stops the data and never closes.
   */
  public Toxic timeout(Duration idle) {
    return handle(add("timeout", Map.of("timeout", Toxic.millis(idle, "idle"))));
  }

  /**
   * Loses a fraction of chunks: TCP cannot drop bytes, so each lost one is held for the retransmit
   * {@code delay}, as a real loss would cost (porthole's {@code loss}).
   */
  public Toxic loss(double probability, Duration delay) {
    if (!(probability >= 0 && probability <= 1)) {
      throw new IllegalArgumentException("probability: " + probability + " (expected: 0..1)");
    }
    return handle(
        add("loss", Map.of("probability", probability, "delay", Toxic.millis(delay, "delay"))));
  }

  /** Closes the connection once {@code bytes} have passed ({@code limit_data}). */
  public Toxic limitData(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes: " + bytes + " (expected: >= 0)");
    }
    return handle(add("limit_data", Map.of("bytes", bytes)));
  }

  /** Delays the close of the connection by {@code delay} ({@code slow_close}). */
  public Toxic slowClose(Duration delay) {
    return handle(add("slow_close", Map.of("delay", Toxic.millis(delay, "delay"))));
  }

  /**
   * Cuts data into pieces of about {@code averageSize} bytes (plus or minus {@code variation}),
   * {@code delay} apart ({@code slicer}).
   */
  public Toxic slicer(long averageSize, long variation, Duration delay) {
    Toxic.millis(delay, "delay");
    long micros = delay.toNanos() / 1000; // slicer's delay is in microseconds
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("average_size", averageSize);
    a.put("size_variation", variation);
    a.put("delay", micros);
    return handle(add("slicer", a));
  }

  /** Adds a toxic of any registered type by its Toxiproxy name and attributes. */
  public Toxic add(String type, Map<String, Object> attributes, Direction direction) {
    return handle(add(type, attributes, direction.name().toLowerCase(java.util.Locale.ROOT)));
  }

  /** Returns the toxic named {@code name}. */
  public Toxic get(String name) {
    ToxicState t = Toxic.call(() -> registry.toxic(proxy, name));
    return t.type().equals("latency")
        ? new LatencyToxic(registry, proxy, t.name())
        : handle(t.name());
  }

  /** Returns the names of the toxics, upstream first. */
  public List<String> names() {
    return Toxic.call(() -> registry.toxics(proxy)).stream().map(ToxicState::name).toList();
  }

  /** Removes every toxic. */
  public void removeAll() {
    for (String name : names()) {
      Toxic.call(
          () -> {
            registry.removeToxic(proxy, name);
            return null;
          });
    }
  }

  /**
   * Which way a toxic acts, for {@link #add}.
   *
   * @since 0.1
   */
  public enum Direction {
    /** Client to server. */
    UPSTREAM,
    /** Server to client. */
    DOWNSTREAM
  }

  private Toxic handle(String name) {
    return new Toxic(registry, proxy, name);
  }

  private String add(String type, Map<String, Object> attributes) {
    return add(type, attributes, "downstream");
  }

  /** Adds under the first free name of {@code type_stream}, {@code type_stream_2}, ... */
  private String add(String type, Map<String, Object> attributes, String stream) {
    List<String> taken = names();
    String base = type + "_" + stream;
    for (int n = 1; ; n++) {
      String name = n == 1 ? base : base + "_" + n;
      if (taken.contains(name)) {
        continue;
      }
      try {
        return registry
            .addToxic(proxy, new ToxicRequest(name, type, stream, 1.0, attributes))
            .name();
      } catch (ProxyException e) {
        if (e.kind() != ProxyException.Kind.CONFLICT) {
          throw new IllegalArgumentException(e.getMessage(), e);
        }
        // Another thread took the name just now: try the next one.
      }
    }
  }
}
