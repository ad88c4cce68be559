package dev.porthole.cli.daemon;

import dev.porthole.cli.CliException;
import dev.porthole.cli.Converters;
import dev.porthole.cli.ExitCodes;
import dev.porthole.cli.watch.WatchOptions;
import dev.porthole.server.CaptureConfig;
import dev.porthole.server.Daemon;
import dev.porthole.server.DaemonConfig;
import dev.porthole.server.Token;
import dev.porthole.store.DataDir;
import dev.porthole.store.StoreException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the daemon in the foreground until Ctrl-C: the API, the proxies, the store. */
@Command(
    mixinStandardHelpOptions = true,
    name = "up",
    description =
        "Run the daemon in the foreground: API, Toxiproxy API and proxies (Ctrl-C stops).",
    footer = {
      "",
      "Examples:",
      "  porthole up                         # http://127.0.0.1:62893",
      "  porthole up --port 0                # any free port, printed at start",
      "  porthole up --toxiproxy-port        # also answer Toxiproxy clients on 8474",
      "  porthole up --data-dir /tmp/ph      # keep proxies somewhere else",
      "  porthole up --http-port 63580 --https-port 63543   # the router by name on these ports",
      "  porthole up --no-router             # no https://NAME.localhost router",
      "  porthole up --interval 5s --policy policy.yaml --webhook http://127.0.0.1:9000/hook",
      "  porthole up --body-limit 1048576 --capture-retention 2h --capture-max-mb 64"
    })
public final class UpCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--port",
      converter = Converters.PortOrZero.class,
      description = "API port (default ${DEFAULT-VALUE}; 0 picks a free one).")
  int port = DaemonConfig.DEFAULT_PORT;

  @Option(names = "--host", description = "Address to bind (default ${DEFAULT-VALUE}).")
  String host = "127.0.0.1";

  @Option(names = "--data-dir", description = "Where the SQLite file and token live.")
  Path dataDir;

  @Option(
      names = "--toxiproxy-port",
      arity = "0..1",
      fallbackValue = "8474",
      paramLabel = "PORT",
      converter = Converters.PortOrZero.class,
      description = "Also serve the Toxiproxy API on this port (8474 if no value).")
  Integer toxiproxyPort;

  @Option(
      names = "--allow-remote",
      description = "Allow binding beyond loopback (API and proxies); then the token is required.")
  boolean allowRemote;

  @Option(
      names = "--require-token",
      description = "Require the token for state-changing requests even on loopback.")
  boolean requireToken;

  @CommandLine.Mixin WatchOptions watch;

  @Option(names = "--no-watch", description = "Do not watch the listeners (no events, no history).")
  boolean noWatch;

  @CommandLine.Mixin RouterPortOptions router;

  @CommandLine.Mixin dev.porthole.cli.capture.CaptureOptions capture;

  @Override
  public Integer call() throws InterruptedException {
    String bind = allowRemote && host.equals("127.0.0.1") ? "0.0.0.0" : host;
    DaemonConfig config =
        new DaemonConfig(
            bind,
            port,
            DataDir.resolve(dataDir),
            toxiproxyPort == null ? -1 : toxiproxyPort,
            allowRemote,
            requireToken,
            true,
            noWatch ? null : watch.settings(),
            null);
    PrintWriter err = spec.commandLine().getErr();
    try (CleanStop stop = CleanStop.install()) {
      // Installed before the start: a SIGTERM while starting waits for it, then stops (exit 0).
      return serve(router.startWith(config, c -> start(c, capture.config()), err), stop);
    }
  }

  private int serve(Daemon daemon, CleanStop stop) throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    AtomicBoolean closed = new AtomicBoolean();
    Runnable close =
        () -> {
          if (closed.compareAndSet(false, true)) {
            daemon.close();
            out.println("porthole daemon stopped");
            out.flush();
          }
        };
    // SIGTERM and Ctrl-C stop through CleanStop (exit 0); the hook covers any other JVM exit.
    Thread hook = new Thread(close, "porthole-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      printBanner(out, daemon);
      stop.await();
    } finally {
      close.run();
      removeHook(hook);
    }
    return ExitCodes.OK;
  }

  public static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already exiting: the hook runs (and finds the daemon closed).
    }
  }

  /** Returns a started daemon, or throws the one-line reason it could not start. */
  public static Daemon start(DaemonConfig config) {
    return start(config, CaptureConfig.defaults());
  }

  /** Returns a started daemon recording traffic as {@code capture} says, or the reason it failed. */
  public static Daemon start(DaemonConfig config, CaptureConfig capture) {
    try {
      return Daemon.start(config, capture);
    } catch (IllegalArgumentException e) {
      throw CliException.usage(userNames(e.getMessage()));
    } catch (StoreException | IllegalStateException | UncheckedIOException e) {
      throw CliException.failure(e.getMessage());
    }
  }

  /** Returns a config error with the parameter's name replaced by the option people typed. */
  static String userNames(String message) {
    return message == null
        ? "invalid configuration"
        : message
            .replaceFirst("^toxiproxyPort: ", "--toxiproxy-port: ")
            .replaceFirst("^port: ", "--port: ")
            .replaceFirst("^host: ", "--host: ")
            .replaceFirst("^dataDir: ", "--data-dir: ");
  }

  static void printBanner(PrintWriter out, Daemon daemon) {
    DaemonConfig c = daemon.services().config();
    out.println("porthole daemon listening on " + daemon.url());
    out.println("  dashboard      " + daemon.url() + "/");
    String toxiproxy = daemon.url();
    if (daemon.toxiproxyPort() >= 0) {
      toxiproxy += " and http://" + c.host() + ":" + daemon.toxiproxyPort();
    }
    out.println("  Toxiproxy API  " + toxiproxy);
    RouterPortOptions.printBanner(out, daemon);
    out.println("  data           " + daemon.services().dataDir());
    if (daemon.services().token() != null) {
      out.println(
          "  token          required (" + daemon.services().dataDir().resolve(Token.FILE) + ")");
    }
    if (c.allowRemote()) {
      out.println("  WARNING        listening beyond loopback: other machines can reach the API");
    }
    out.println("Press Ctrl-C to stop.");
    out.flush();
  }
}
