package dev.porthole.watch;

import dev.porthole.store.Store;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Returns how a watch runs, as {@code porthole up} and {@code porthole watch} take it, and builds
 * the {@link Watcher} with its sinks.
 *
 * @param interval time between snapshots (default 2 s)
 * @param policyFile the policy file; null means {@code policy.yaml} in the data directory, used
 *     when it exists
 * @param keep how long events and closed listeners stay in the store (default 30 days)
 * @param log the JSON-lines event log; null means {@code events.jsonl} in the data directory
 * @param webhook a URL that receives alert events, or null
 * @param desktop whether alert events also go to the desktop ({@code notify-send}, where present)
 */
public record WatchSettings(
    Duration interval, Path policyFile, Duration keep, Path log, URI webhook, boolean desktop) {
  /** The default interval between snapshots. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);

  /** The default retention. */
  public static final Duration DEFAULT_KEEP = Duration.ofDays(30);

  /** The policy file looked for in the data directory when none is given. */
  public static final String POLICY_FILE = "policy.yaml";

  /** The event log written in the data directory when none is given. */
  public static final String LOG_FILE = "events.jsonl";

  public WatchSettings {
    interval = interval == null ? DEFAULT_INTERVAL : interval;
    keep = keep == null ? DEFAULT_KEEP : keep;
    new Watcher.Options(interval, null, keep); // validates both
  }

  /** Returns the defaults: 2 s, the data directory's policy if any, 30 days, the desktop. */
  public static WatchSettings defaults() {
    return new WatchSettings(null, null, null, null, null, true);
  }

  /** Returns the policy file in force: the one given, or the data directory's when it exists. */
  public Path policyIn(Path dataDir) {
    if (policyFile != null) {
      return policyFile;
    }
    Path p = dataDir.resolve(POLICY_FILE);
    return Files.exists(p) ? p : null;
  }

  /**
   * Returns a watcher (not started) recording into {@code store} (null: record nothing, and write
   * no log) with the log, webhook and desktop sinks. A broken policy file fails here with a {@link
   * PolicyException}.
   */
  public Watcher open(Path dataDir, Store store) {
    Path policy = policyIn(dataDir);
    if (policy != null && !Files.exists(policy)) {
      throw new PolicyException(policy + ": no such file", null);
    }
    Watcher w =
        new Watcher(
            ListenerReader.system(),
            store == null ? null : new WatchStore(store),
            new Watcher.Options(interval, policy, keep));
    try {
      if (store != null) {
        w.addSink(new JsonLinesLog(log != null ? log : dataDir.resolve(LOG_FILE)));
      }
      if (webhook != null) {
        w.addSink(new WebhookSink(webhook, 6, Duration.ofSeconds(1), true));
      }
      DesktopNotifier notifier = desktop ? DesktopNotifier.ifAvailable() : null;
      if (notifier != null) {
        w.addSink(notifier);
      }
    } catch (RuntimeException e) {
      w.close();
      throw e;
    }
    return w;
  }
}
