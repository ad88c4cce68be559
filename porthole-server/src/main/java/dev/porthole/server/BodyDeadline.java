package dev.porthole.server;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Closes the connection of a request whose body has not fully arrived within a deadline.
 *
 * <p>Jetty bounds the gap between bytes (idle timeout) and, sampled, their rate, but not the total
 * time of a body; a client dripping a byte at a time would hold its socket and buffer for as long
 * as it likes. {@link #outer} goes outside Jetty's {@code EagerContentHandler} and starts the
 * clock; {@link #inner} goes inside it, where the body is complete, and stops it.
 */
final class BodyDeadline {
  private static final String STATE = BodyDeadline.class.getName() + ".state";
  private static final int WAITING = 0;
  private static final int ARRIVED = 1;
  private static final int EXPIRED = 2;

  private BodyDeadline() {}

  /** Returns the handler that starts the clock for each request. */
  static Handler.Wrapper outer(Handler next, Duration deadline) {
    long millis = deadline.toMillis();
    return new Handler.Wrapper(next) {
      @Override
      public boolean handle(Request request, Response response, Callback callback)
          throws Exception {
        AtomicInteger state = new AtomicInteger(WAITING);
        request.setAttribute(STATE, state);
        request
            .getComponents()
            .getScheduler()
            .schedule(
                () -> {
                  if (state.compareAndSet(WAITING, EXPIRED)) {
                    request.getConnectionMetaData().getConnection().getEndPoint().close();
                  }
                },
                millis,
                TimeUnit.MILLISECONDS);
        return super.handle(request, response, callback);
      }
    };
  }

  /** Stops the clock of a request whose body is complete; returns false if it had expired. */
  static boolean arrived(Request request) {
    return !(request.getAttribute(STATE) instanceof AtomicInteger state)
        || state.compareAndSet(WAITING, ARRIVED);
  }

  /** Returns the handler that marks the body complete. */
  static Handler.Wrapper inner(Handler next) {
    return new Handler.Wrapper(next) {
      @Override
      public boolean handle(Request request, Response response, Callback callback)
          throws Exception {
        if (!arrived(request)) {
          // Expired: the connection is closed and the body failed; no route needs to see it
          // (500 such requests at once would only crowd out the live ones).
          callback.failed(new TimeoutException("request body too slow"));
          return true;
        }
        return super.handle(request, response, callback);
      }
    };
  }
}
