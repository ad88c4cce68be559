package dev.porthole.server;

import io.javalin.config.RoutesConfig;

/**
 * Returns one group of the daemon's routes: the status route, the Toxiproxy API, the watch, the
 * dashboard. {@link ApiModules} lists them; adding a module is one line there.
 *
 * <p>A module gets {@link DaemonServices} in its constructor. Routes registered here already run
 * behind the {@link SecurityGuard}; an {@link ApiError} thrown by a handler becomes the error
 * response. A module that runs something in the background starts it in {@link #start()} and stops
 * it in {@link #close()}.
 */
public interface ApiModule extends AutoCloseable {
  /** Adds this module's routes (and its exception or SSE handlers). Called once, before start. */
  void register(RoutesConfig routes);

  /** Starts background work, after the HTTP server listens. The default does nothing. */
  default void start() {}

  /** Stops background work; called once when the daemon stops. The default does nothing. */
  @Override
  default void close() {}
}
