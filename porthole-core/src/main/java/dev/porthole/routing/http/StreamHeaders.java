package dev.porthole.routing.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Translates between an HTTP/2 stream's header blocks and the upstream's HTTP/1.1 messages, each in
 * one pass over the headers (Netty's {@code HttpConversionUtil} adds {@code x-http2-*} headers that
 * the router then has to strip, and builds maps of the connection headers per message).
 */
final class StreamHeaders {
  // The decoder has validated names and values already (HPACK, RFC 9113 §8.2.1).
  private static final DefaultHttpHeadersFactory TRUSTED =
      DefaultHttpHeadersFactory.headersFactory().withValidation(false);
  private static final AsciiString CHUNKED = HttpHeaderValues.CHUNKED;

  private static final int MAX_CACHED_NAMES = 512;
  private static final ConcurrentMap<String, AsciiString> LOWER = new ConcurrentHashMap<>();

  private StreamHeaders() {}

  /**
   * Returns the HTTP/1.1 request of a stream's header block: a full request when the stream ended
   * with it, else a head whose body comes chunked unless its length is given; null when the block
   * is not a request the router can route (no {@code :method} or {@code :path}, or CONNECT).
   */
  static HttpRequest toRequest(Http2Headers h2, boolean endStream) {
    CharSequence method = h2.method();
    CharSequence path = h2.path();
    if (method == null || path == null) {
      return null;
    }
    HttpHeaders h = TRUSTED.newHeaders();
    StringBuilder cookies = null;
    for (Map.Entry<CharSequence, CharSequence> e : h2) {
      CharSequence name = e.getKey();
      if (name.length() > 0 && name.charAt(0) == ':') {
        continue; // pseudo-headers: :method, :path and :authority are read above and below
      }
      if (HttpHeaderNames.COOKIE.contentEquals(name)) {
        // HTTP/2 may split cookies into several fields; HTTP/1.1 wants one (RFC 9113 §8.2.3).
        cookies = cookies == null ? new StringBuilder() : cookies.append("; ");
        cookies.append(e.getValue());
      } else if (!HttpHeaderNames.TE.contentEquals(name)) {
        h.add(name, e.getValue());
      }
    }
    if (cookies != null) {
      h.set(HttpHeaderNames.COOKIE, cookies.toString());
    }
    CharSequence authority = h2.authority();
    if (authority != null) {
      h.set(HttpHeaderNames.HOST, authority);
    }
    HttpMethod m = HttpMethod.valueOf(method.toString());
    String uri = path.toString();
    if (endStream) {
      return new DefaultFullHttpRequest(
          HttpVersion.HTTP_1_1, m, uri, Unpooled.EMPTY_BUFFER, h, TRUSTED.newEmptyHeaders());
    }
    if (!h.contains(HttpHeaderNames.CONTENT_LENGTH)) {
      h.set(HttpHeaderNames.TRANSFER_ENCODING, CHUNKED);
    }
    return new DefaultHttpRequest(HttpVersion.HTTP_1_1, m, uri, h);
  }

  /**
   * Returns the HTTP/2 header block of an upstream's response head: {@code :status}, the names in
   * lower case, and HTTP/1.1's connection headers dropped (RFC 9113 §8.2.2).
   */
  static Http2Headers toHttp2(HttpResponse r) {
    Http2Headers h2 = new DefaultHttp2Headers(false, r.headers().size() + 1);
    h2.status(r.status().codeAsText());
    return addFields(r.headers(), h2);
  }

  /** Returns the HTTP/2 trailers of a chunked body's trailing headers. */
  static Http2Headers trailers(HttpHeaders trailing) {
    return addFields(trailing, new DefaultHttp2Headers(false, trailing.size()));
  }

  private static Http2Headers addFields(HttpHeaders h, Http2Headers h2) {
    for (Iterator<Map.Entry<CharSequence, CharSequence>> it = h.iteratorCharSequence();
        it.hasNext(); ) {
      Map.Entry<CharSequence, CharSequence> e = it.next();
      AsciiString name = lowerCase(e.getKey());
      if (!connectionSpecific(name)) {
        h2.add(name, e.getValue());
      }
    }
    return h2;
  }

  /**
   * Returns {@code name} in lower case, from a cache of the names seen (upstreams send the same
   * few, capitalised: a copy and a lower-cased copy per field per response otherwise).
   */
  private static AsciiString lowerCase(CharSequence name) {
    String key = name.toString(); // the HTTP/1.1 decoder's names are Strings: no copy
    AsciiString known = LOWER.get(key);
    if (known != null) {
      return known;
    }
    AsciiString lower = AsciiString.of(name).toLowerCase();
    if (LOWER.size() < MAX_CACHED_NAMES) {
      LOWER.putIfAbsent(key, lower);
    }
    return lower;
  }

  private static boolean connectionSpecific(AsciiString name) {
    return name.contentEquals(HttpHeaderNames.CONNECTION)
        || name.contentEquals(HttpHeaderNames.KEEP_ALIVE)
        || name.contentEquals(HttpHeaderNames.PROXY_CONNECTION)
        || name.contentEquals(HttpHeaderNames.TRANSFER_ENCODING)
        || name.contentEquals(HttpHeaderNames.UPGRADE);
  }
}
