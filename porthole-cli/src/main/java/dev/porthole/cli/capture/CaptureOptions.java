package dev.porthole.cli.capture;

import dev.porthole.capture.CaptureSettings;
import dev.porthole.server.CaptureConfig;
import dev.porthole.store.CaptureWriter;
import dev.porthole.text.Durations;
import dev.porthole.text.Numbers;
import picocli.CommandLine.Option;

/** Returns the traffic capture flags of {@code porthole up} ({@code @Mixin CaptureOptions}). */
public final class CaptureOptions {
  @Option(names = "--no-capture", description = "Do not record the proxies' traffic.")
  boolean noCapture;

  @Option(
      names = "--body-limit",
      paramLabel = "BYTES",
      description = "Bytes of each HTTP body kept (default ${DEFAULT-VALUE}; sizes always kept).")
  String bodyLimit = Integer.toString(CaptureSettings.DEFAULT_BODY_LIMIT);

  @Option(
      names = "--capture-retention",
      paramLabel = "DURATION",
      description = "Keep recorded traffic this long (default ${DEFAULT-VALUE}).")
  String retention = "1d";

  @Option(
      names = "--capture-max-mb",
      paramLabel = "MB",
      description = "Keep at most this many MiB of recorded traffic (default ${DEFAULT-VALUE}).")
  String maxMb = Long.toString(CaptureWriter.Retention.DEFAULT_BYTES >> 20);

  /** Returns the capture configuration; a bad value is a usage error naming its flag. */
  public CaptureConfig config() {
    int limit = Numbers.parseInt(bodyLimit, "--body-limit", 0, 64 * 1024 * 1024);
    long mb = Numbers.parseLong(maxMb, "--capture-max-mb", 1, 1024L * 1024);
    CaptureWriter.Retention keep =
        new CaptureWriter.Retention(
            Durations.parsePositive(retention, "--capture-retention"), mb << 20);
    return new CaptureConfig(!noCapture, CaptureSettings.defaults().withBodyLimit(limit), keep);
  }
}
