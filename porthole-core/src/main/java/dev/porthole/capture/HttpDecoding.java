package dev.porthole.capture;

import dev.porthole.http1.Header;
import dev.porthole.http1.HttpFramer;
import dev.porthole.http1.HttpHead;
import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.function.Consumer;
import java.util.function.LongPredicate;

/**
 * Returns the HTTP/1.1 view of one captured connection: an {@link HttpFramer} per direction frames
 * copies of the bytes, and their messages are paired in order (keep-alive and pipelining), with
 * interim {@code 100 Continue} answers, HEAD and CONNECT handled as {@code HttpClientCodec} does.
 * Any framing failure throws {@link IllegalStateException} with the reason: the caller then treats
 * the connection as not HTTP.
 *
 * <p>The pairing ({@link Exchange}: one request, its response, their times) is the request framing
 * an HTTP fault toxic can reuse.
 */
final class HttpDecoding {
  /**
   * Returns how many exchanges of one connection its record keeps: a keep-alive connection can
   * carry millions, each still published (feed, stats, store of requests) but not all held.
   */
  static final int MAX_KEPT = 1000;

  private final int bodyLimit;
  private final Consumer<HttpExchange> done;
  private final LongPredicate hold;
  private final Queue<String> methods = new ArrayDeque<>();
  private final ArrayDeque<Exchange> open = new ArrayDeque<>();
  private final List<HttpExchange> finished = new ArrayList<>();
  private long seen;
  private final HttpFramer requests = new HttpFramer(true, new Requests());
  private final HttpFramer responses = new HttpFramer(false, new Responses());
  // The time of the bytes being framed: what each message event is stamped with.
  private long now;
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
    now = micros;
    (side == Side.CLIENT ? requests : responses).feed(data, 0, data.length);
  }

  /**
   * Takes {@code n} bytes of {@code side} that went by unseen: they are the rest of the body that
   * {@link #bodyRemaining} announced, so the body counts them without keeping them.
   */
  void skip(Side side, long micros, long n) {
    now = micros;
    (side == Side.CLIENT ? requests : responses).skip(n);
  }

  /**
   * Returns how many bytes of the body (or chunk) now being read from {@code side} are still to
   * come, or -1 when no body of known length is being read.
   */
  long bodyRemaining(Side side) {
    if (upgraded != null || (side == Side.CLIENT ? reading == null : interim)) {
      return -1;
    }
    return (side == Side.CLIENT ? requests : responses).bodyRemaining();
  }

  /** Returns the body now being read from {@code side}, or null between messages. */
  Body body(Side side) {
    if (side == Side.CLIENT) {
      return reading == null ? null : reading.requestBody;
    }
    Exchange head = open.peekFirst();
    return head == null || interim ? null : head.responseBody;
  }

  /** The client's messages: each request opens an exchange. */
  private final class Requests implements HttpFramer.Messages {
    @Override
    public boolean bodiless(HttpHead head) {
      return false;
    }

    @Override
    public void head(HttpHead r) {
      reading = new Exchange(r, now, bodyLimit);
      open.add(reading);
      methods.add(r.method());
    }

    @Override
    public void content(byte[] b, int offset, int n) {
      reading.requestBody.add(b, offset, n);
    }

    @Override
    public void skipped(long n) {
      reading.requestBody.skip(n);
    }

    @Override
    public boolean end() {
      reading.sent = now;
      reading = null;
      return true;
    }

    @Override
    public void upgraded(byte[] b, int offset, int n) {}
  }

  /** The server's messages: each final response ends the oldest open exchange. */
  private final class Responses implements HttpFramer.Messages {
    @Override
    public boolean bodiless(HttpHead r) {
      int code = r.status();
      if (code >= 100 && code < 200 && code != 101) {
        return true;
      }
      String method = methods.poll();
      if ("HEAD".equals(method) || ("CONNECT".equals(method) && code / 100 == 2)) {
        return true;
      }
      return r.bodilessStatus();
    }

    @Override
    public void head(HttpHead r) {
      Exchange head = open.peekFirst();
      if (head == null) {
        throw new IllegalStateException("a response without a request");
      }
      int code = r.status();
      if (head.firstByte < 0) {
        head.firstByte = now;
      }
      interim = code >= 100 && code < 200 && code != 101;
      if (interim) {
        head.continued |= code == 100;
      } else {
        head.response(r);
      }
    }

    @Override
    public void content(byte[] b, int offset, int n) {
      if (!interim) {
        open.peekFirst().responseBody.add(b, offset, n);
      }
    }

    @Override
    public void skipped(long n) {
      if (!interim) {
        open.peekFirst().responseBody.skip(n);
      }
    }

    @Override
    public boolean end() {
      if (interim) {
        interim = false;
        return true;
      }
      Exchange head = open.pollFirst();
      head.end = now;
      complete(head);
      upgraded = head.upgrade();
      if (head.status == 101) {
        extensions = Header.first(head.responseHeaders, "Sec-WebSocket-Extensions");
      }
      return upgraded == null;
    }

    @Override
    public void upgraded(byte[] b, int offset, int n) {
      // Bytes after a 101 in the same chunk: the start of the new protocol.
      leftover.write(b, offset, n);
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
    now = micros;
    try {
      responses.close();
    } catch (IllegalStateException truncated) {
      // A response cut mid-way: kept below as unanswered or partial.
    }
    while (!open.isEmpty()) {
      complete(open.pollFirst());
    }
  }

  /** Returns how many exchanges finished so far, kept or not. */
  long seen() {
    return seen;
  }

  /** Returns the first {@link #MAX_KEPT} exchanges finished so far, in order. */
  List<HttpExchange> exchanges() {
    return List.copyOf(finished);
  }

  /** Stops decoding; nothing is held that needs releasing. */
  void close() {
    closed = true;
  }
}
