package dev.porthole.capture;

import dev.porthole.http1.Header;
import java.util.List;

/**
 * One HTTP/1.1 request and its response, as decoded from a copy of a proxied stream. Times are
 * microseconds after the connection was accepted; -1 means "did not happen" (no response yet, a
 * connection cut mid-way).
 *
 * @param method the request method
 * @param target the request target as sent ({@code /path?query}, or an absolute URI)
 * @param version the request's protocol version ("HTTP/1.1")
 * @param requestHeaders the request headers in order
 * @param requestBodySize the true size of the request body (after chunked framing is removed)
 * @param requestBody the first bytes of the request body, up to the body limit
 * @param status the response status, or 0 when none came
 * @param reason the response's reason phrase
 * @param responseHeaders the response headers in order (empty when none came)
 * @param responseBodySize the true size of the response body on the wire (still encoded)
 * @param responseBody the first bytes of the response body, decoded when gzip/deflate/br
 * @param continued whether a {@code 100 Continue} interim response came first
 * @param startMicros when the request's first byte was seen
 * @param sentMicros when the request's last byte was seen
 * @param firstByteMicros when the response's first byte was seen, or -1
 * @param endMicros when the response's last byte was seen, or -1
 */
public record HttpExchange(
    String method,
    String target,
    String version,
    List<Header> requestHeaders,
    long requestBodySize,
    byte[] requestBody,
    int status,
    String reason,
    List<Header> responseHeaders,
    long responseBodySize,
    byte[] responseBody,
    boolean continued,
    long startMicros,
    long sentMicros,
    long firstByteMicros,
    long endMicros) {

  /** Returns the path of the target without its query ("/a/b" for "/a/b?x=1"). */
  public String path() {
    String t = target;
    int scheme = t.indexOf("://");
    if (scheme > 0) {
      int slash = t.indexOf('/', scheme + 3);
      t = slash < 0 ? "/" : t.substring(slash);
    }
    int q = t.indexOf('?');
    return q < 0 ? t : t.substring(0, q);
  }

  /** Returns whether a complete response was seen. */
  public boolean answered() {
    return status > 0 && endMicros >= 0;
  }

  /** Returns the milliseconds from the request's first byte to the response's last, or -1. */
  public double totalMillis() {
    return endMicros < 0 ? -1 : (endMicros - startMicros) / 1000.0;
  }
}
