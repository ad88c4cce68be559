package dev.porthole.cli.daemon;

import dev.porthole.cli.CliException;
import dev.porthole.routing.BindPrivilege;
import dev.porthole.routing.http.RouterOptions;
import dev.porthole.server.Daemon;
import dev.porthole.server.DaemonConfig;
import dev.porthole.server.RouterInfo;
import dev.porthole.text.Numbers;
import java.io.PrintWriter;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * Returns {@code up}'s router options: {@code --http-port}, {@code --https-port}, {@code
 * --no-router}. Without ports, 80 and 443 when this process may bind them, else 62880 and 62443
 * with the one command that would allow 80/443 (printed, never run).
 */
public final class RouterPortOptions {
  /** The HTTP port when 80 is not allowed. */
  public static final int FALLBACK_HTTP = 62880;

  /** The HTTPS port when 443 is not allowed. */
  public static final int FALLBACK_HTTPS = 62443;

  @Option(
      names = "--http-port",
      paramLabel = "PORT",
      description = "Router's HTTP port (default 80 if allowed, else 62880; 0 picks a free one).")
  String httpPort;

  @Option(
      names = "--https-port",
      paramLabel = "PORT",
      description = "Router's HTTPS port (default 443 if allowed, else 62443; 0 picks a free one).")
  String httpsPort;

  @Option(names = "--no-router", description = "Do not route https://NAME.localhost to upstreams.")
  boolean noRouter;

  /**
   * Starts the daemon with the router; when the ports were not given and cannot be bound, warns and
   * starts it without the router rather than not at all.
   */
  Daemon startWith(DaemonConfig config, Function<DaemonConfig, Daemon> start, PrintWriter err) {
    if (noRouter) {
      return start.apply(config);
    }
    BindPrivilege privilege = BindPrivilege.current();
    int http = port(httpPort, "--http-port", privilege.allows(80) ? 80 : FALLBACK_HTTP);
    int https = port(httpsPort, "--https-port", privilege.allows(443) ? 443 : FALLBACK_HTTPS);
    if ((httpPort == null || httpsPort == null) && !privilege.allows(443)) {
      err.println(
          "router: ports 80/443 need a privilege; to allow them: "
              + BindPrivilege.howToAllow(BindPrivilege.javaExecutable()));
    }
    DaemonConfig routed = config.withRouter(new RouterOptions("127.0.0.1", http, https));
    if (httpPort != null || httpsPort != null) {
      return start.apply(routed);
    }
    try {
      return start.apply(routed);
    } catch (CliException e) {
      if (!e.getMessage().startsWith("router:")) {
        throw e;
      }
      err.println(e.getMessage() + " — running without the router (give --http-port/--https-port)");
      err.flush();
      return start.apply(config);
    }
  }

  private static int port(String text, String flag, int fallback) {
    if (text == null) {
      return fallback;
    }
    try {
      return Numbers.portOrZero(text, flag);
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
  }

  static void printBanner(PrintWriter out, Daemon daemon) {
    RouterInfo r = daemon.router();
    if (r == null) {
      return;
    }
    out.println(
        "  router         http://NAME.localhost:"
            + r.httpPort()
            + "  https://NAME.localhost:"
            + r.httpsPort()
            + "  (porthole route add NAME.localhost PORT)");
    out.println("  local CA       " + r.caCertificate() + "  (porthole trust)");
  }
}
