package dev.porthole.cli.proxy;

import dev.porthole.cli.CliException;
import dev.porthole.cli.Converters;
import dev.porthole.cli.ExitCodes;
import dev.porthole.cli.daemon.CleanStop;
import dev.porthole.cli.daemon.UpCommand;
import dev.porthole.server.CaptureConfig;
import dev.porthole.server.Daemon;
import dev.porthole.server.DaemonConfig;
import dev.porthole.server.ToxiproxyConfig;
import dev.porthole.store.DataDir;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs porthole as a drop-in for {@code toxiproxy-server}: the same single-dash flags, the
 * Toxiproxy API on its port, proxies kept in memory only (as Toxiproxy does).
 */
@Command(
    name = "toxiproxy-server",
    description = "Run as a drop-in for toxiproxy-server (same flags; proxies kept in memory).",
    footer = {
      "",
      "Examples:",
      "  porthole toxiproxy-server                         # localhost:8474",
      "  porthole toxiproxy-server -port 8475 -config proxies.json",
      "  porthole toxiproxy-server -version"
    })
public final class ToxiproxyServerCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  // Go's flag package answers -h, -help and --help; no standard mixin, since -version is ours.
  @Option(
      names = {"-h", "-help", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;

  @Option(
      names = {"-host", "--host"},
      description = "Host to listen on (default ${DEFAULT-VALUE}).")
  String host = "localhost";

  @Option(
      names = {"-port", "--port"},
      converter = Converters.PortOrZero.class,
      description = "Port to listen on (default ${DEFAULT-VALUE}).")
  int port = DaemonConfig.TOXIPROXY_PORT;

  @Option(
      names = {"-config", "--config"},
      paramLabel = "FILE",
      description = "JSON file of proxies to create at start (the /populate format).")
  Path config;

  @Option(
      names = {"-seed", "--seed"},
      description = "Accepted for compatibility; ignored (as in Toxiproxy 2.12.0).")
  Long seed;

  @Option(
      names = {"-proxy-metrics", "--proxy-metrics"},
      description = "Accepted for compatibility.")
  boolean proxyMetrics;

  @Option(
      names = {"-runtime-metrics", "--runtime-metrics"},
      description = "Accepted for compatibility.")
  boolean runtimeMetrics;

  @Option(
      names = {"-version", "--version"},
      description = "Print the version and exit.")
  boolean version;

  @Option(
      names = {"-allow-remote", "--allow-remote"},
      description = "porthole: allow a non-loopback -host (then the token is required).")
  boolean allowRemote;

  @Option(
      names = {"-data-dir", "--data-dir"},
      paramLabel = "DIR",
      description = "porthole: where the token lives (default: the user data directory).")
  Path dataDir;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    if (version) {
      out.println("toxiproxy-server version 2.12.0 (porthole " + versionOfPorthole() + ")");
      out.flush();
      return ExitCodes.OK;
    }
    String bind = resolve(host);
    DaemonConfig cfg =
        new DaemonConfig(bind, port, DataDir.resolve(dataDir), -1, allowRemote, false, false);
    // Installed before the start: a SIGTERM while starting waits for it, then stops (exit 0).
    try (CleanStop stop = CleanStop.install()) {
      serve(UpCommand.start(cfg, CaptureConfig.off()), stop, out);
    }
    return ExitCodes.OK;
  }

  private void serve(Daemon daemon, CleanStop stop, PrintWriter out) throws InterruptedException {
    if (config != null) {
      String problem = ToxiproxyConfig.apply(daemon, config);
      if (problem != null) {
        // Toxiproxy logs a bad config and keeps serving; so does the drop-in.
        spec.commandLine().getErr().println("porthole toxiproxy-server: " + problem);
        spec.commandLine().getErr().flush();
      }
    }
    Thread hook = new Thread(daemon::close, "porthole-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      out.println("toxiproxy-server (porthole) listening on " + daemon.url());
      out.flush();
      stop.await(); // SIGTERM or Ctrl-C: close, then exit 0 as Toxiproxy does
    } finally {
      daemon.close();
      UpCommand.removeHook(hook);
    }
  }

  /** Returns the address for {@code -host}: a name resolves here, as Go's listener does. */
  private static String resolve(String host) {
    if (host.isEmpty()) {
      return "0.0.0.0";
    }
    try {
      return InetAddress.getByName(host).getHostAddress();
    } catch (UnknownHostException e) {
      throw CliException.usage("-host " + host + ": no such host");
    }
  }

  private static String versionOfPorthole() {
    return dev.porthole.build.BuildInfo.current().version();
  }
}
