package dev.porthole.testing;

import dev.porthole.proxy.ProxyRegistry;
import java.time.Duration;

/**
 * A latency toxic: delays each chunk by {@code latency} plus or minus up to {@code jitter}, keeping
 * the order of bytes, as Toxiproxy's {@code latency}.
 *
 * <pre>{@code
 * proxy.toxics().latency(Duration.ofMillis(200)).jitter(Duration.ofMillis(50));
 * }</pre>
 *
 * @since 0.1
 */
public final class LatencyToxic extends Toxic {
  LatencyToxic(ProxyRegistry registry, String proxy, String name) {
    super(registry, proxy, name);
  }

  /** Sets the delay (whole milliseconds). */
  public LatencyToxic latency(Duration latency) {
    set("latency", millis(latency, "latency"));
    return this;
  }

  /** Sets the random variation around the delay (whole milliseconds; 0 for none). */
  public LatencyToxic jitter(Duration jitter) {
    set("jitter", millis(jitter, "jitter"));
    return this;
  }

  @Override
  public LatencyToxic upstream() {
    super.upstream();
    return this;
  }

  @Override
  public LatencyToxic downstream() {
    super.downstream();
    return this;
  }

  @Override
  public LatencyToxic toxicity(double toxicity) {
    super.toxicity(toxicity);
    return this;
  }
}
