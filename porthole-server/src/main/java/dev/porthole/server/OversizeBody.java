package dev.porthole.server;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.QuietException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers a request that declares a body over {@link HttpLimits#MAX_BODY_BYTES} with 413 after
 * reading and discarding that body, so that a client that writes its whole body before it reads
 * gets the answer.
 *
 * <p>Jetty's {@code EagerContentHandler} answers 413 at once and closes with the body unread; the
 * kernel then resets the connection, and a client still writing (the JDK's blocking sockets, {@code
 * requests}, most scripts) sees "broken pipe" or "connection reset" instead of the 413. Discarding
 * is bounded: up to {@link #MAX_DISCARD_BYTES} declared (larger bodies keep Jetty's answer), within
 * the body deadline ({@link BodyDeadline}); a client that asked {@code Expect: 100-continue} has
 * sent nothing yet and gets the 413 at once.
 */
final class OversizeBody extends Handler.Wrapper {
  /** The largest declared body read through to answer 413 cleanly. */
  static final long MAX_DISCARD_BYTES = 64L * 1024 * 1024;

  OversizeBody(Handler next) {
    super(next);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    long length = request.getLength();
    if (length <= HttpLimits.MAX_BODY_BYTES || length > MAX_DISCARD_BYTES) {
      return super.handle(request, response, callback);
    }
    if (request.getHeaders().contains(HttpHeader.EXPECT, "100-continue")) {
      // Nothing sent yet, and never will be: Jetty sends "100 Continue" only to a reader.
      answer(request, response, callback);
      return true;
    }
    Content.Source.consumeAll(
        request,
        Callback.from(
            () -> answer(request, response, callback),
            // The client left or the deadline cut it: no one to answer, nothing to log loudly.
            x -> callback.failed(new QuietException.Exception("oversize body not read", x))));
    return true;
  }

  private static void answer(Request request, Response response, Callback callback) {
    BodyDeadline.arrived(request);
    response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE);
    Response.writeError(request, response, callback, 413);
  }
}
