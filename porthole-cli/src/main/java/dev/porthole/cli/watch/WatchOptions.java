package dev.porthole.cli.watch;

import dev.porthole.cli.CliException;
import dev.porthole.text.Durations;
import dev.porthole.watch.WatchSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Returns the watch options that {@code porthole watch} and {@code porthole up} share. */
public final class WatchOptions {
  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      description = "Time between snapshots (default 2s; e.g. 500ms, 10s).")
  String interval;

  @Option(
      names = "--policy",
      paramLabel = "FILE",
      description = "Policy file (default: policy.yaml in the data directory, if present).")
  Path policy;

  @Option(
      names = "--keep",
      paramLabel = "DURATION",
      description = "Keep events and listener history this long (default 30d).")
  String keep;

  @Option(
      names = "--webhook",
      paramLabel = "URL",
      description = "POST alert events as JSON to this URL (retried with back-off).")
  String webhook;

  @Option(
      names = "--event-log",
      paramLabel = "FILE",
      description = "JSON-lines event log (default: events.jsonl in the data directory).")
  Path log;

  @Option(names = "--no-notify", description = "No desktop notifications (notify-send) for alerts.")
  boolean noNotify;

  /** Returns the settings these options describe, or throws a usage error naming the option. */
  public WatchSettings settings() {
    try {
      return new WatchSettings(
          interval == null ? null : Durations.parsePositive(interval, "--interval"),
          policy,
          keep == null ? null : Durations.parsePositive(keep, "--keep"),
          log,
          webhook == null ? null : webhook(webhook),
          !noNotify);
    } catch (IllegalArgumentException e) {
      // The core names its parameter ("interval: …"); people typed the option.
      throw CliException.usage(e.getMessage().replaceFirst("^(interval|keep): ", "--$1: "));
    }
  }

  private static URI webhook(String text) {
    try {
      URI uri = new URI(text);
      if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "--webhook: '" + text + "' (expected: an http:// or https:// URL)");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "--webhook: '" + text + "' (expected: an http:// or https:// URL)");
    }
  }
}
