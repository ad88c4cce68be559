package dev.porthole.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Writes the errors Jetty answers itself (a body over the limit, a request too slow, malformed
 * chunking or headers, too many waiting requests) in the daemon's one error format, {@code
 * {"error":"…","status":N}}, instead of Jetty's HTML page.
 */
final class JettyErrors extends ErrorHandler {
  JettyErrors() {
    setShowStacks(false);
    setShowCauses(false);
  }

  @Override
  protected void generateResponse(
      Request request, Response response, int code, String message, Throwable cause, Callback cb) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", reason(code, message));
    body.put("status", code);
    String json = Json.write(body);
    boolean own = Request.getPathInContext(request).startsWith("/api/");
    if (own) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    } else {
      json += "\n";
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
      response.getHeaders().put("X-Content-Type-Options", "nosniff");
      response.getHeaders().put(RequestIds.HEADER, RequestIds.next());
    }
    response.write(true, ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)), cb);
  }

  /** Returns a one-line reason: ours for the limits we set, Jetty's (first line) otherwise. */
  static String reason(int code, String message) {
    String detail = message == null ? "" : message.lines().findFirst().orElse("").strip();
    return switch (code) {
      case 413 -> "request body too large (limit " + HttpLimits.MAX_BODY_BYTES / 1024 + " KiB)";
      case 408 -> "request too slow (the body must arrive within the time limits)";
      case 503 -> "too many requests at once; retry in a moment";
      case 400 -> detail.isEmpty() ? "bad request" : "bad request: " + detail;
      default -> detail.isEmpty() ? "HTTP " + code : detail;
    };
  }
}
