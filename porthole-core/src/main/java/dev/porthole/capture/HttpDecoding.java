package dev.porthole.capture;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectDecoder;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.function.Consumer;
import java.util.function.LongPredicate;

/**
 * Returns the HTTP/1.1 view of one captured connection: Netty's own request and response decoders,
 * each in an {@link EmbeddedChannel}, are fed copies of the two directions and their messages are
 * paired in order (keep-alive and pipelining), with interim {@code 100 Continue} answers, HEAD and
 * CONNECT handled as {@code HttpClientCodec} does. Any decoding failure throws {@link
 * IllegalStateException}: the caller then treats the connection as not HTTP.
 *
 * <p>The pairing ({@link Exchange}: one request, its response, their times) is the request framing
 * an HTTP fault toxic can reuse.
 */
final class HttpDecoding {
  private static final HttpDecoderConfig CONFIG =
      new HttpDecoderConfig()
          .setMaxInitialLineLength(16 * 1024)
          .setMaxHeaderSize(64 * 1024)
          .setMaxChunkSize(64 * 1024);

  // Netty's decoder knows how much of a body (or of a chunk) is left; it says so only in private
  // fields, read here so the proxy may splice that rest. Null when this Netty has other fields.
  private static final VarHandle CHUNK_SIZE;
  private static final VarHandle STATE;
  // Stands for unseen body bytes; only ever read.
  private static final byte[] ZEROS = new byte[64 * 1024];

  static {
    VarHandle size = null;
    VarHandle state = null;
    try {
      MethodHandles.Lookup in =
          MethodHandles.privateLookupIn(HttpObjectDecoder.class, MethodHandles.lookup());
      size = in.findVarHandle(HttpObjectDecoder.class, "chunkSize", long.class);
      Class<?> states = Class.forName(HttpObjectDecoder.class.getName() + "$State");
      state = in.findVarHandle(HttpObjectDecoder.class, "currentState", states);
    } catch (ReflectiveOperationException | RuntimeException e) {
      size = null;
    }
    CHUNK_SIZE = size;
    STATE = size == null ? null : state;
  }

  private final int bodyLimit;
  private final Consumer<HttpExchange> done;
  private final LongPredicate hold;
  private final Queue<String> methods = new ArrayDeque<>();
  private final ArrayDeque<Exchange> open = new ArrayDeque<>();

  /**
   * Returns how many exchanges of one connection its record keeps: a keep-alive connection can
   * carry millions, each still published (feed, stats, store of requests) but not all held.
   */
  static final int MAX_KEPT = 1000;

  private final List<HttpExchange> finished = new ArrayList<>();
  private long seen;
  private final HttpRequestDecoder requestDecoder = new HttpRequestDecoder(CONFIG);
  private final ResponseDecoder responseDecoder = new ResponseDecoder();
  private final EmbeddedChannel requests = new EmbeddedChannel(requestDecoder);
  private final EmbeddedChannel responses = new EmbeddedChannel(responseDecoder);
  private boolean skipping;
  private Exchange reading;
  private boolean interim;
  private String upgraded;
  private String extensions;
  private final ByteArrayOutputStream leftover = new ByteArrayOutputStream();
  private boolean closed;

  HttpDecoding(int bodyLimit, Consumer<HttpExchange> done) {
    this(bodyLimit, done, n -> true);
  }

  /**
   * Returns a decoding that keeps a finished exchange for the record only when {@code hold} grants
   * its size ({@link Held#of}): what open connections hold is bounded across all of them.
   */
  HttpDecoding(int bodyLimit, Consumer<HttpExchange> done, LongPredicate hold) {
    this.bodyLimit = bodyLimit;
    this.done = done;
    this.hold = hold;
  }

  /** Returns whether {@code b} starts like a request line: a token of capitals, then a space. */
  static boolean looksLikeRequest(byte[] b, int max) {
    int i = 0;
    while (i < b.length && i < max && b[i] >= 'A' && b[i] <= 'Z') {
      i++;
    }
    return i > 0 && (i == b.length || (i < b.length && b[i] == ' '));
  }

  /** Feeds a copy of bytes {@code side} sent at {@code micros}. */
  void feed(Side side, long micros, byte[] data) {
    EmbeddedChannel ch = side == Side.CLIENT ? requests : responses;
    ch.writeInbound(Unpooled.wrappedBuffer(data));
    drain(side, micros);
  }

  /**
   * Takes {@code n} bytes of {@code side} that went by unseen: they are the rest of the body that
   * {@link #bodyRemaining} announced, so the decoder is fed that many placeholder bytes and the
   * body counts them without keeping them.
   */
  void skip(Side side, long micros, long n) {
    EmbeddedChannel ch = side == Side.CLIENT ? requests : responses;
    skipping = true;
    try {
      for (long left = n; left > 0; ) {
        int piece = (int) Math.min(left, ZEROS.length);
        ch.writeInbound(Unpooled.wrappedBuffer(ZEROS, 0, piece));
        left -= piece;
        drain(side, micros);
      }
    } finally {
      skipping = false;
    }
  }

  /**
   * Returns how many bytes of the body (or chunk) now being read from {@code side} are still to
   * come, or -1 when no body of known length is being read.
   */
  long bodyRemaining(Side side) {
    if (STATE == null || upgraded != null || (side == Side.CLIENT ? reading == null : interim)) {
      return -1;
    }
    HttpObjectDecoder d = side == Side.CLIENT ? requestDecoder : responseDecoder;
    String state = ((Enum<?>) STATE.get(d)).name();
    if (!state.equals("READ_FIXED_LENGTH_CONTENT") && !state.equals("READ_CHUNKED_CONTENT")) {
      return -1;
    }
    return (long) CHUNK_SIZE.get(d);
  }

  /** Returns the body now being read from {@code side}, or null between messages. */
  Body body(Side side) {
    if (side == Side.CLIENT) {
      return reading == null ? null : reading.requestBody;
    }
    Exchange head = open.peekFirst();
    return head == null || interim ? null : head.responseBody;
  }

  private void drain(Side side, long micros) {
    EmbeddedChannel ch = side == Side.CLIENT ? requests : responses;
    Object msg;
    while ((msg = ch.readInbound()) != null) {
      try {
        if (msg instanceof DecoderResultProvider p && p.decoderResult().isFailure()) {
          throw new IllegalStateException("not HTTP: " + p.decoderResult().cause());
        }
        if (side == Side.CLIENT) {
          onRequest(msg, micros);
        } else {
          onResponse(msg, micros);
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }
  }

  private void onRequest(Object msg, long micros) {
    if (msg instanceof HttpRequest r) {
      reading = new Exchange(r, micros, bodyLimit);
      open.add(reading);
      methods.add(r.method().name());
    }
    if (msg instanceof HttpContent c && reading != null) {
      add(reading.requestBody, c.content());
      if (msg instanceof LastHttpContent) {
        reading.sent = micros;
        reading = null;
      }
    }
  }

  private void onResponse(Object msg, long micros) {
    if (upgraded != null && msg instanceof ByteBuf b) {
      // Bytes after a 101 in the same chunk: the decoder hands them on as they are.
      byte[] rest = new byte[b.readableBytes()];
      b.getBytes(b.readerIndex(), rest);
      leftover.writeBytes(rest);
      return;
    }
    Exchange head = open.peekFirst();
    if (head == null) {
      throw new IllegalStateException("not HTTP: a response without a request");
    }
    if (msg instanceof HttpResponse r) {
      int code = r.status().code();
      if (head.firstByte < 0) {
        head.firstByte = micros;
      }
      interim = code >= 100 && code < 200 && code != 101;
      if (interim) {
        head.continued |= code == 100;
      } else {
        head.response(r);
      }
    }
    if (msg instanceof HttpContent c && !interim) {
      add(head.responseBody, c.content());
    }
    if (msg instanceof LastHttpContent) {
      if (interim) {
        interim = false;
        return;
      }
      head.end = micros;
      open.pollFirst();
      complete(head);
      upgraded = head.upgrade();
      extensions = HttpExchange.header(head.responseHeaders, "Sec-WebSocket-Extensions");
    }
  }

  private void add(Body body, ByteBuf content) {
    if (skipping) {
      body.skip(content.readableBytes());
    } else if (content.isReadable()) {
      body.add(content);
    }
  }

  private void complete(Exchange e) {
    HttpExchange x = e.toExchange();
    seen++;
    if (finished.size() < MAX_KEPT && hold.test(Held.of(x))) {
      finished.add(x);
    }
    done.accept(x);
  }

  /**
   * Returns what the stream became after an exchange ended: "websocket" after a 101 to a WebSocket
   * upgrade, "raw" after another 101, "http" after a CONNECT's 2xx (a tunnel), or null while it is
   * still HTTP.
   */
  String upgraded() {
    return upgraded;
  }

  /** Returns the extensions the last response agreed on ({@code Sec-WebSocket-Extensions}). */
  String extensions() {
    return extensions;
  }

  /** Returns the server's bytes that followed the 101 in the chunks fed so far (then frames). */
  byte[] leftover() {
    return leftover.toByteArray();
  }

  /** Ends decoding at {@code micros}: bodies read until close end here, the rest is cut short. */
  void cut(long micros) {
    if (closed) {
      return;
    }
    closed = true;
    try {
      responses.finish();
      drain(Side.SERVER, micros);
    } catch (Exception truncated) {
      // A response cut mid-way: kept below as unanswered or partial.
    }
    while (!open.isEmpty()) {
      complete(open.pollFirst());
    }
    requests.finishAndReleaseAll();
    responses.finishAndReleaseAll();
  }

  /** Returns how many exchanges finished so far, kept or not. */
  long seen() {
    return seen;
  }

  /** Returns the first {@link #MAX_KEPT} exchanges finished so far, in order. */
  List<HttpExchange> exchanges() {
    return List.copyOf(finished);
  }

  /** Releases the decoders. */
  void close() {
    requests.finishAndReleaseAll();
    responses.finishAndReleaseAll();
  }

  /** The response decoder, told which request each response answers (as HttpClientCodec is). */
  private final class ResponseDecoder extends HttpResponseDecoder {
    ResponseDecoder() {
      super(CONFIG);
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage msg) {
      if (msg instanceof HttpResponse r) {
        int code = r.status().code();
        if (code >= 100 && code < 200 && code != 101) {
          return true;
        }
        String method = methods.poll();
        if ("HEAD".equals(method) || ("CONNECT".equals(method) && code / 100 == 2)) {
          return true;
        }
      }
      return super.isContentAlwaysEmpty(msg);
    }
  }
}
