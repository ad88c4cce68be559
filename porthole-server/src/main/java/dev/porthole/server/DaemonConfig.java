package dev.porthole.server;

import dev.porthole.routing.http.RouterOptions;
import dev.porthole.watch.WatchSettings;
import java.nio.file.Path;

/**
 * Returns how a daemon runs.
 *
 * @param host the address the API binds (loopback unless {@code allowRemote})
 * @param port the API port; 0 picks a free one
 * @param dataDir the data directory (SQLite file and token)
 * @param toxiproxyPort a second port that serves only the Toxiproxy API, or -1 for none
 * @param allowRemote whether binding beyond loopback (API and proxies) is allowed; implies a token
 * @param requireToken whether state-changing requests need the token even on loopback
 * @param persistent whether proxies are kept in the data directory's SQLite file; false keeps them
 *     in memory only, like Toxiproxy
 * @param watch the watch's settings, or {@code null} to run without the watch; each daemon has its
 *     own, so several daemons in one JVM do not share them
 * @param router where the router by name listens ({@code porthole up --http-port/--https-port}), or
 *     null for no router
 */
public record DaemonConfig(
    String host,
    int port,
    Path dataDir,
    int toxiproxyPort,
    boolean allowRemote,
    boolean requireToken,
    boolean persistent,
    WatchSettings watch,
    RouterOptions router) {
  /** The default API port: in the dynamic range, outside Linux's ephemeral range. */
  public static final int DEFAULT_PORT = 62893;

  /** Toxiproxy's port. */
  public static final int TOXIPROXY_PORT = 8474;

  public DaemonConfig {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host: empty");
    }
    checkPort("port", port);
    if (toxiproxyPort != -1) {
      checkPort("toxiproxyPort", toxiproxyPort);
    }
    if (dataDir == null) {
      throw new IllegalArgumentException("dataDir: null");
    }
  }

  /** Returns a config with the watch's defaults and no router (the Toxiproxy drop-in, tests). */
  public DaemonConfig(
      String host,
      int port,
      Path dataDir,
      int toxiproxyPort,
      boolean allowRemote,
      boolean requireToken,
      boolean persistent) {
    this(
        host,
        port,
        dataDir,
        toxiproxyPort,
        allowRemote,
        requireToken,
        persistent,
        WatchSettings.defaults(),
        null);
  }

  /**
   * Returns a loopback, persistent daemon config on {@code port} keeping data in {@code dataDir}.
   */
  public static DaemonConfig local(int port, Path dataDir) {
    return new DaemonConfig("127.0.0.1", port, dataDir, -1, false, false, true);
  }

  /** Returns whether state-changing requests must carry the token. */
  public boolean tokenRequired() {
    return allowRemote || requireToken;
  }

  public DaemonConfig withToxiproxyPort(int p) {
    return new DaemonConfig(
        host, port, dataDir, p, allowRemote, requireToken, persistent, watch, router);
  }

  public DaemonConfig withSecurity(boolean remote, boolean token) {
    return new DaemonConfig(
        host, port, dataDir, toxiproxyPort, remote, token, persistent, watch, router);
  }

  /** Returns this config with the router listening as {@code options} says (null: none). */
  public DaemonConfig withRouter(RouterOptions options) {
    return new DaemonConfig(
        host, port, dataDir, toxiproxyPort, allowRemote, requireToken, persistent, watch, options);
  }

  /** Returns this config with other watch settings; {@code null} turns the watch off. */
  public DaemonConfig withWatch(WatchSettings settings) {
    return new DaemonConfig(
        host, port, dataDir, toxiproxyPort, allowRemote, requireToken, persistent, settings, router);
  }

  private static void checkPort(String name, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + ": " + port + " (expected: 0..65535)");
    }
  }
}
