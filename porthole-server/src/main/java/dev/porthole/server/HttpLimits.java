package dev.porthole.server;

import io.javalin.config.JavalinConfig;
import java.time.Duration;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.EagerContentHandler;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.server.handler.ThreadLimitHandler;

/**
 * Returns the HTTP server's defences against slow and hostile clients, all Jetty's own handlers,
 * outermost first.
 *
 * <pre>
 * BodyDeadline.outer      a body not complete within 10 s closes the connection
 *  OversizeBody           a declared body over {@value #MAX_BODY_BYTES} bytes (up to 64 MiB) is
 *                         read and discarded, then 413, so a client still writing sees the answer
 *  EagerContentHandler    the whole body is read without a thread before any route runs;
 *                         over {@value #MAX_BODY_BYTES} bytes is 413
 *  BodyDeadline.inner     the body is complete: the clock stops
 *   QoSHandler            at most {@value #MAX_ACTIVE} requests run, the rest wait without a
 *                         thread (status and dashboard pages first), and give up with 503
 *    ThreadLimitHandler   at most {@value #PER_ADDRESS} running per client address
 *     Javalin
 * </pre>
 *
 * A slow client therefore holds a socket, never a thread: the thread pool (Jetty's default, 200)
 * keeps more than half of its threads in reserve for the API and the dashboard. The connector's
 * idle timeout bounds a silent client, and {@link SlowHeaders} bounds one that sends its headers a
 * byte at a time.
 */
final class HttpLimits {
  /** The largest request body (Toxiproxy has none; porthole's bodies are a few KiB). */
  static final long MAX_BODY_BYTES = 1024 * 1024;

  /** Requests running at once (the rest wait); well under the thread pool's 200. */
  static final int MAX_ACTIVE = 64;

  /** Requests running at once per client address. */
  static final int PER_ADDRESS = 32;

  /** How long a request may wait for a turn before it gets 503. */
  static final Duration MAX_WAIT = Duration.ofSeconds(10);

  /** How long a connection may stay silent (the dashboard's live feed pings every 15 s). */
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

  /** How long a request's body may take to arrive in full. */
  static final Duration BODY_DEADLINE = Duration.ofSeconds(10);

  /** How long a new connection may take to send its first request's headers. */
  static final Duration HEADER_DEADLINE = Duration.ofSeconds(10);

  private HttpLimits() {}

  /** Adds the handlers, the idle timeout and the JSON error page to a Javalin config. */
  static void apply(JavalinConfig config) {
    config.http.maxRequestSize = MAX_BODY_BYTES;
    config.jetty.modifyServer(HttpLimits::wrap);
  }

  private static void wrap(Server server) {
    server.setErrorHandler(new JettyErrors());
    ThreadLimitHandler perAddress = new ThreadLimitHandler(null, false);
    perAddress.setThreadLimit(PER_ADDRESS);
    QoSHandler qos = new PriorityQoS(perAddress);
    qos.setMaxRequestCount(MAX_ACTIVE);
    qos.setMaxSuspend(MAX_WAIT);
    EagerContentHandler eager =
        new EagerContentHandler(
            BodyDeadline.inner(qos),
            new EagerContentHandler.RetainedContentLoaderFactory(MAX_BODY_BYTES, 0, true));
    // Javalin puts its servlet context inside the innermost wrapper (perAddress).
    Handler outer = BodyDeadline.outer(new OversizeBody(eager), BODY_DEADLINE);
    server.setHandler(outer);
    SlowHeaders.install(server, HEADER_DEADLINE, IDLE_TIMEOUT);
  }

  /** Returns a QoS handler that lets the cheap status and dashboard requests in first. */
  private static final class PriorityQoS extends QoSHandler {
    PriorityQoS(Handler next) {
      super(next);
    }

    @Override
    protected int getPriority(Request request) {
      String path = Request.getPathInContext(request);
      boolean cheap =
          path.equals("/version")
              || path.equals("/api/status")
              || path.equals("/")
              || path.startsWith("/assets/");
      return cheap ? 1 : 0;
    }
  }
}
