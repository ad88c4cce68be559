package dev.porthole.server;

import dev.porthole.capture.CaptureSettings;
import dev.porthole.store.CaptureWriter;

/**
 * Returns how the daemon records traffic through its proxies.
 *
 * @param enabled whether proxies are recorded at all
 * @param settings what the recorder keeps per connection (body limit, stream limit, backlog)
 * @param retention how long and how much the store keeps
 */
public record CaptureConfig(
    boolean enabled, CaptureSettings settings, CaptureWriter.Retention retention) {

  /** Returns recording on, with the default limits and retention. */
  public static CaptureConfig defaults() {
    return new CaptureConfig(true, CaptureSettings.defaults(), CaptureWriter.Retention.defaults());
  }

  /** Returns recording off: a drop-in Toxiproxy server keeps no traffic, as Toxiproxy does not. */
  public static CaptureConfig off() {
    return new CaptureConfig(false, CaptureSettings.defaults(), CaptureWriter.Retention.defaults());
  }
}
