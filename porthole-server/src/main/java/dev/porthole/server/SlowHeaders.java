package dev.porthole.server;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes a connection whose first request's headers are not complete within a deadline.
 *
 * <p>Jetty parses headers without a thread, but a client sending one byte every few seconds never
 * trips the idle timeout and would hold its socket for hours; Jetty has no knob for the total
 * header time, so this is the one limit written here (a {@link Connection.Listener} on each
 * connector, Jetty's extension point for it).
 */
final class SlowHeaders implements Connection.Listener {
  private final Scheduler scheduler;
  private final long deadlineMillis;

  private SlowHeaders(Scheduler scheduler, Duration deadline) {
    this.scheduler = scheduler;
    this.deadlineMillis = deadline.toMillis();
  }

  /**
   * Installs the check, and {@code idleTimeout}, on every connector of {@code server} when it
   * starts (Javalin adds its connector after configuring the server).
   */
  static void install(Server server, Duration deadline, Duration idleTimeout) {
    server.addEventListener(
        new LifeCycle.Listener() {
          @Override
          public void lifeCycleStarting(LifeCycle event) {
            SlowHeaders check = new SlowHeaders(server.getScheduler(), deadline);
            for (Connector c : server.getConnectors()) {
              c.addBean(check);
              if (c instanceof AbstractConnector a) {
                a.setIdleTimeout(idleTimeout.toMillis());
              }
            }
          }
        });
  }

  @Override
  public void onOpened(Connection connection) {
    if (connection instanceof HttpConnection http) {
      scheduler.schedule(() -> expire(http), deadlineMillis, TimeUnit.MILLISECONDS);
    }
  }

  private static void expire(HttpConnection http) {
    // No request has got past its headers yet: a slow (or silent) client.
    if (http.getEndPoint().isOpen() && http.getMessagesIn() == 0) {
      http.getEndPoint().close();
    }
  }
}
