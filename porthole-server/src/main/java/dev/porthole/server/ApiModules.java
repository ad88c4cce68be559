package dev.porthole.server;

import dev.porthole.server.dashboard.DashboardModule;
import java.util.List;

/** Returns the route modules each of the daemon's ports serves: one line per module. */
public final class ApiModules {
  private ApiModules() {}

  /** Returns every module of the main port (API, Toxiproxy API, and later the watch, dashboard). */
  public static List<ApiModule> daemon(DaemonServices services) {
    WatchModule watch = new WatchModule(services);
    return List.of(
        new StatusModule(services),
        new ProxyRoutes(services, ProxyRoutes.Flavor.PORTHOLE),
        new ProxyRoutes(services, ProxyRoutes.Flavor.TOXIPROXY),
        watch,
        new DashboardModule(services, watch),
        new RouteModule(services),
        new CaptureModule(services),
        new FirewallModule(services),
        new QuarantineModule(services)
        // Add a module here.
        );
  }

  /** Returns the modules of the extra Toxiproxy port ({@code --toxiproxy-port}). */
  public static List<ApiModule> toxiproxyPort(DaemonServices services) {
    return List.of(new ProxyRoutes(services, ProxyRoutes.Flavor.TOXIPROXY));
  }
}
