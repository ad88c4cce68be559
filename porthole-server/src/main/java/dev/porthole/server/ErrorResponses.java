package dev.porthole.server;

import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes error responses the way Toxiproxy does, so its clients parse them.
 *
 * <p>Toxiproxy routes: {@code {"error":"…","status":N}} plus a newline, served as {@code
 * text/plain; charset=utf-8} with {@code X-Content-Type-Options: nosniff} (Go's {@code
 * http.Error}). porthole's own routes under {@code /api/} send the same body as {@code
 * application/json}. Router replies: 404 {@code 404 page not found}, 405 with an empty body.
 */
final class ErrorResponses {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

  // Marks a response a handler wrote itself, so the router's 404 page does not replace it.
  private static final String WRITTEN = "porthole.error.written";

  private ErrorResponses() {}

  static void apiError(ApiError e, Context ctx) {
    if (e.status() >= 500) {
      LOG.warn("{} {}: {}", ctx.method(), ctx.path(), e.getMessage()); // not the client's fault
    }
    write(ctx, e.status(), e.getMessage());
  }

  /**
   * Answers an exception no handler expected. What a client causes (it went away mid-body, sent
   * malformed framing, a body over the limit) is one debug line and a 4xx; only a bug in porthole
   * logs a stack trace and answers 500.
   */
  static void unexpected(Exception e, Context ctx) {
    if (e instanceof HttpResponseException h && h.getStatus() >= 400 && h.getStatus() < 500) {
      write(ctx, h.getStatus(), JettyErrors.reason(h.getStatus(), h.getMessage()));
      return;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof HttpException bad && bad.getCode() >= 400 && bad.getCode() < 500) {
        LOG.debug("{} {}: bad request: {}", ctx.method(), ctx.path(), t.toString());
        write(ctx, bad.getCode(), JettyErrors.reason(bad.getCode(), bad.getReason()));
        return;
      }
      if (t instanceof IOException) {
        LOG.debug("{} {}: client I/O failed: {}", ctx.method(), ctx.path(), t.toString());
        write(ctx, 400, "bad request: the request body could not be read");
        return;
      }
    }
    LOG.error("{} {} failed: {}", ctx.method(), ctx.path(), e.toString(), e);
    write(ctx, 500, "internal error: " + e.getClass().getSimpleName());
  }

  /** Writes {@code {"error":message,"status":status}} in the route family's format. */
  static void write(Context ctx, int status, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    body.put("status", status);
    ctx.status(status);
    ctx.attribute(WRITTEN, Boolean.TRUE);
    if (ctx.path().startsWith("/api/")) {
      ctx.contentType("application/json").result(Json.write(body));
    } else {
      ctx.header("X-Content-Type-Options", "nosniff");
      if (!ctx.res().containsHeader(RequestIds.HEADER)) {
        // Refused before the route ran (guard, start-up gate): Toxiproxy's clients expect it.
        ctx.header(RequestIds.HEADER, RequestIds.next());
      }
      ctx.contentType("text/plain; charset=utf-8").result(Json.write(body) + "\n");
    }
  }

  static void notFound(Context ctx) {
    if (ctx.attribute(WRITTEN) != null) {
      return; // a handler's own 404 ("proxy not found"), already written
    }
    ctx.contentType("text/plain; charset=utf-8").result("404 page not found\n");
  }

  /** Answers 405 with an empty body and no Content-Type, like Go's router. */
  static void methodNotAllowed405(Context ctx) {
    ctx.status(405);
    methodNotAllowed(ctx);
  }

  static void methodNotAllowed(Context ctx) {
    ctx.result("");
    ctx.res().setContentType(null);
  }
}
