package dev.porthole.routing.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Returns an upstream's response head made ready for the client: the upstream's connection
 * management dropped (the client's connection is the router's to manage), and a body that the
 * upstream ends by closing turned into chunks, so the client's connection can stay open.
 */
final class ResponseHeaders {
  private ResponseHeaders() {}

  /** Returns whether the body's end is known without the upstream closing. */
  static boolean framed(HttpResponse r) {
    int code = r.status().code();
    return code == 204
        || code == 304
        || HttpUtil.isContentLengthSet(r)
        || HttpUtil.isTransferEncodingChunked(r);
  }

  /** Rewrites {@code r} in place; {@code keepAlive} is whether the client's connection stays. */
  static void prepare(HttpResponse r, boolean keepAlive) {
    r.headers().remove(HttpHeaderNames.CONNECTION).remove(HttpHeaderNames.KEEP_ALIVE);
    if (!keepAlive) {
      r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    if (!framed(r) && r.status().code() >= 200) {
      HttpUtil.setTransferEncodingChunked(r, true);
    }
  }
}
