package dev.porthole.capture;

import dev.porthole.http1.Header;
import dev.porthole.http1.HttpHead;
import java.util.List;

/** Returns one HTTP exchange while it is being decoded; {@link #toExchange()} freezes it. */
final class Exchange {
  final String method;
  final String target;
  final String version;
  final List<Header> requestHeaders;
  final Body requestBody;
  final Body responseBody;
  final long start;
  long sent = -1;
  long firstByte = -1;
  long end = -1;
  boolean continued;
  int status;
  String reason = "";
  List<Header> responseHeaders = List.of();

  Exchange(HttpHead request, long start, int bodyLimit) {
    this.method = request.method();
    this.target = request.target();
    this.version = request.version();
    this.requestHeaders = request.headers();
    this.requestBody = new Body(bodyLimit);
    this.responseBody = new Body(bodyLimit);
    this.start = start;
  }

  void response(HttpHead r) {
    status = r.status();
    reason = r.reason();
    responseHeaders = r.headers();
  }

  /** Returns what the stream turns into after this exchange, or null when it stays HTTP. */
  String upgrade() {
    if (status == 101) {
      String up = Header.first(responseHeaders, "Upgrade");
      return up != null && up.equalsIgnoreCase("websocket") ? "websocket" : "raw";
    }
    if ("CONNECT".equals(method) && status / 100 == 2) {
      return "http";
    }
    return null;
  }

  HttpExchange toExchange() {
    return new HttpExchange(
        method,
        target,
        version,
        requestHeaders,
        requestBody.size(),
        requestBody.bytes(encoding(requestBody, requestHeaders)),
        status,
        reason,
        responseHeaders,
        responseBody.size(),
        responseBody.bytes(encoding(responseBody, responseHeaders)),
        continued,
        start,
        sent,
        firstByte,
        end);
  }

  /** Returns the body's Content-Encoding, looked up only when there is a body to decode. */
  private static String encoding(Body body, List<Header> headers) {
    return body.size() == 0 ? null : Header.first(headers, "Content-Encoding");
  }
}
