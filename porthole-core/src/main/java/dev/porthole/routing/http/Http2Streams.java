package dev.porthole.routing.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Returns the frame listener of one HTTP/2 connection: a stream's first HEADERS becomes an {@link
 * Http2Exchange} (kept as a property of the stream, not in a map of our own), its DATA frames the
 * request's body, a later HEADERS its trailers; a stream that closes for any reason (ended, reset
 * by RST_STREAM, cut by GOAWAY or the connection's end) lets its upstream connection go.
 */
final class Http2Streams extends Http2FrameAdapter {
  private final RouterContext router;
  private final Http2ConnectionHandler handler;
  private final Http2Connection.PropertyKey key;

  /** The exchanges that passed on request body in this read: their upstreams get one flush. */
  private final List<Http2Exchange> wrote = new ArrayList<>();

  /** The connection's forwarding headers: the client's address formatted once, not per stream. */
  private ForwardedHeaders forwarded;

  Http2Streams(RouterContext router, Http2ConnectionHandler handler) {
    this.router = router;
    this.handler = handler;
    Http2Connection connection = handler.connection();
    this.key = connection.newKey();
    connection.addListener(
        new Http2ConnectionAdapter() {
          @Override
          public void onStreamClosed(Http2Stream stream) {
            Http2Exchange e = stream.removeProperty(key);
            if (e != null) {
              e.closed();
            }
          }
        });
  }

  @Override
  public void onHeadersRead(
      ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding, boolean end) {
    Http2Stream stream = handler.connection().stream(streamId);
    if (stream == null) {
      return;
    }
    Http2Exchange e = stream.getProperty(key);
    if (e != null) {
      e.content(new DefaultLastHttpContent(ctx.alloc().buffer(0), trailers(headers)));
      return;
    }
    HttpRequest req = StreamHeaders.toRequest(headers, end);
    if (req == null) {
      handler.resetStream(ctx, streamId, Http2Error.PROTOCOL_ERROR.code(), ctx.newPromise());
      return;
    }
    if (forwarded == null) {
      forwarded = new ForwardedHeaders(RequestFacts.client(ctx.channel()), "https");
    }
    e = new Http2Exchange(router, ctx, handler.encoder(), stream, forwarded);
    stream.setProperty(key, e);
    e.request(req);
  }

  @Override
  public void onHeadersRead(
      ChannelHandlerContext ctx,
      int streamId,
      Http2Headers headers,
      int streamDependency,
      short weight,
      boolean exclusive,
      int padding,
      boolean end) {
    onHeadersRead(ctx, streamId, headers, padding, end);
  }

  /** Returns the bytes given back to the window now: the padding; the data once passed on. */
  @Override
  public int onDataRead(
      ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean end) {
    Http2Stream stream = handler.connection().stream(streamId);
    Http2Exchange e = stream == null ? null : stream.getProperty(key);
    if (e == null) {
      return data.readableBytes() + padding;
    }
    e.received(data.readableBytes());
    data.retain();
    e.content(end ? new DefaultLastHttpContent(data) : new DefaultHttpContent(data));
    if (!end && !wrote.contains(e)) {
      wrote.add(e); // the end of a body flushes at once; its other parts wait for the read's end
    }
    return padding;
  }

  /** Flushes, once per upstream, the request body this read passed on. */
  void flushUpstreams() {
    for (int i = 0; i < wrote.size(); i++) {
      wrote.get(i).link().flush();
    }
    wrote.clear();
  }

  private static HttpHeaders trailers(Http2Headers h2) {
    HttpHeaders h = DefaultHttpHeadersFactory.trailersFactory().withValidation(false).newHeaders();
    for (Map.Entry<CharSequence, CharSequence> field : h2) {
      CharSequence name = field.getKey();
      if (name.length() > 0 && name.charAt(0) != ':' && !HttpHeaderNames.TE.contentEquals(name)) {
        h.add(name, field.getValue());
      }
    }
    return h;
  }
}
