package dev.porthole.cli;

import dev.porthole.server.Daemon;
import dev.porthole.server.DaemonConfig;
import dev.porthole.server.Token;
import dev.porthole.store.DataDir;
import dev.porthole.store.StoreException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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
      "  porthole up --interval 5s --policy policy.yaml --webhook http://127.0.0.1:9000/hook"
    })
final class UpCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--port",
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
            noWatch ? null : watch.settings());
    Daemon daemon = start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    PrintWriter out = spec.commandLine().getOut();
    Thread hook =
        new Thread(
            () -> {
              daemon.close();
              out.println("porthole daemon stopped");
              out.flush();
              stopped.countDown();
            },
            "porthole-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    printBanner(out, daemon);
    stopped.await();
    return ExitCodes.OK;
  }

  /** Returns a started daemon, or throws the one-line reason it could not start. */
  static Daemon start(DaemonConfig config) {
    try {
      return Daemon.start(config);
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    } catch (StoreException | IllegalStateException | UncheckedIOException e) {
      throw CliException.failure(e.getMessage());
    }
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
