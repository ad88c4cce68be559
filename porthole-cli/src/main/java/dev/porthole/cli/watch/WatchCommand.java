package dev.porthole.cli.watch;

import dev.porthole.cli.CliException;
import dev.porthole.cli.ExitCodes;
import dev.porthole.cli.OutputOptions;
import dev.porthole.cli.daemon.CleanStop;
import dev.porthole.cli.daemon.UpCommand;
import dev.porthole.cli.output.Terminal;
import dev.porthole.quarantine.PolicyQuarantine;
import dev.porthole.store.DataDir;
import dev.porthole.store.Store;
import dev.porthole.text.Durations;
import dev.porthole.watch.PolicyException;
import dev.porthole.watch.WatchSettings;
import dev.porthole.watch.Watcher;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the watch in the foreground and prints events as they happen; no daemon needed. */
@Command(
    mixinStandardHelpOptions = true,
    name = "watch",
    description = {
      "Watch the listeners live: opened, closed, owner changed, exposed, policy broken.",
      "Expected services going down or up are events too. Records into the data directory (like"
          + " the daemon) unless --no-record. Ctrl-C stops."
    },
    footer = {
      "",
      "Examples:",
      "  porthole watch                          # every 2s, policy.yaml of the data dir if any",
      "  porthole watch --interval 500ms --policy ./policy.yaml",
      "  porthole watch --json | jq .message     # one JSON object per event",
      "  porthole watch --webhook http://127.0.0.1:9000/hook --for 1h"
    })
public final class WatchCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin OutputOptions output;
  @Mixin WatchOptions watch;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the SQLite file lives.")
  Path dataDir;

  @Option(names = "--no-record", description = "Only print: write nothing to the store or log.")
  boolean noRecord;

  @Option(
      names = "--for",
      paramLabel = "DURATION",
      description = "Stop after this long (default: until Ctrl-C).")
  String runFor;

  @Override
  public Integer call() throws InterruptedException {
    WatchSettings settings = watch.settings();
    Duration limit = runFor == null ? null : parse(runFor);
    Path dir = DataDir.resolve(dataDir);
    Store store = noRecord ? null : WatchData.openForWriting(dir);
    Watcher watcher = open(settings, dir, store);
    PrintWriter out = spec.commandLine().getOut();
    Terminal terminal = output.terminal();
    boolean json = output.json();
    watcher.addSink(
        e -> {
          synchronized (out) {
            if (json) {
              out.println(e.toJson());
              out.flush();
            } else {
              EventText.print(out, terminal, e);
            }
          }
        });
    if (!json) {
      Path policy = settings.policyIn(dir);
      out.println(
          terminal.dim(
              "watching every "
                  + Durations.format(settings.interval())
                  + ", policy "
                  + (policy == null ? "none" : policy.toString())
                  + (store == null ? ", not recording" : ", recording to " + store.location())
                  + (limit == null ? "; Ctrl-C stops" : " for " + Durations.format(limit))));
      out.flush();
    }
    run(watcher, store, limit);
    return ExitCodes.OK;
  }

  private static Watcher open(WatchSettings settings, Path dir, Store store) {
    try {
      Watcher w = settings.open(dir, store);
      // The policy's quarantine action records each quarantine: only a recording watch has one.
      return store == null ? w : w.quarantineWith(new PolicyQuarantine(store));
    } catch (PolicyException e) {
      close(null, store);
      throw CliException.usage(e.getMessage());
    } catch (UncheckedIOException e) {
      close(null, store);
      throw CliException.failure(e.getMessage());
    }
  }

  /** Runs until Ctrl-C, or for {@code limit}; then stops the watcher and closes the store. */
  private static void run(Watcher watcher, Store store, Duration limit)
      throws InterruptedException {
    // SIGTERM and Ctrl-C stop through CleanStop (exit 0); the hook covers any other JVM exit.
    Thread hook = new Thread(() -> close(watcher, store), "porthole-watch-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try (CleanStop stop = CleanStop.install()) {
      watcher.start();
      if (limit == null) {
        stop.await();
      } else {
        stop.await(limit.toMillis());
      }
    } finally {
      UpCommand.removeHook(hook);
      close(watcher, store);
    }
  }

  private static Duration parse(String text) {
    try {
      return Durations.parsePositive(text, "--for");
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
  }

  private static void close(Watcher watcher, Store store) {
    if (watcher != null) {
      watcher.close();
    }
    if (store != null) {
      store.close();
    }
  }
}
