package dev.porthole.http1;

import java.util.Arrays;

/**
 * One direction of an HTTP/1.1 connection, framed incrementally: it scans the bytes it is fed in
 * place (capture's copies, an HTTP toxic's chunks) and tells its {@link Messages} each head, the
 * body's bytes (framing removed) and each message's end; keep-alive and pipelining,
 * Content-Length, chunked bodies with trailers, and responses read until close. Only a line split
 * across pieces is copied, into one scratch array. It frames as Netty's {@code
 * HttpRequestDecoder}/{@code HttpResponseDecoder} do (the tests hold it to them), without their
 * channel, buffers and message objects. A broken or oversized head or chunk line throws {@link
 * IllegalStateException} with the reason; the framer is then done.
 */
public final class HttpFramer {
  /** Returns the longest start line or chunk-size line: 16 KiB, as before. */
  public static final int MAX_LINE = 16 * 1024;

  /** Returns the most header (and trailer) bytes of one message: 64 KiB, as before. */
  public static final int MAX_HEADERS = 64 * 1024;

  // The most scratch a framer keeps between lines.
  private static final int KEPT_SCRATCH = 1024;

  /** What a framer reports; called on the framer's thread, in stream order. */
  public interface Messages {
    /** Returns whether response {@code head} has no body whatever its headers (HEAD, 1xx…). */
    boolean bodiless(HttpHead head);

    /** Takes a message's head. */
    void head(HttpHead head);

    /** Takes {@code n} body bytes of {@code b} from {@code offset}. */
    void content(byte[] b, int offset, int n);

    /** Counts {@code n} body bytes that went by unseen. */
    void skipped(long n);

    /** Ends the message; returns false when the stream is no longer HTTP after it (upgrade). */
    boolean end();

    /** Takes bytes that followed the end of the last message after an upgrade. */
    void upgraded(byte[] b, int offset, int n);
  }

  private enum State {
    START,
    START_LINE,
    HEADERS,
    FIXED,
    UNTIL_CLOSE,
    CHUNK_SIZE,
    CHUNK_DATA,
    CHUNK_END,
    TRAILERS,
    UPGRADED,
    BROKEN
  }

  private final boolean request;
  private final Messages messages;
  private State state = State.START;
  // A line that a copy ended inside of, without its LF.
  private byte[] partial = new byte[0];
  private int partialLength;
  private HttpHead head;
  private long remaining;
  private int headerBytes;
  private int chunkEnd;
  // A header line waits for its folded continuation lines before it is checked and added.
  private String name;
  private String value;
  // Where, in the array being fed, the bytes that make the current message event end.
  private int eventEnd = -1;

  /** Returns a framer of requests ({@code request}) or responses that tells {@code messages}. */
  public HttpFramer(boolean request, Messages messages) {
    this.request = request;
    this.messages = messages;
  }

  /** Frames {@code n} bytes of {@code b} from {@code offset}. */
  public void feed(byte[] b, int offset, int n) {
    int at = offset;
    int end = offset + n;
    try {
      while (at < end) {
        at = step(b, at, end);
      }
    } catch (IllegalStateException broken) {
      state = State.BROKEN;
      throw broken;
    }
  }

  private int step(byte[] b, int at, int end) {
    switch (state) {
      case START -> {
        while (at < end && (b[at] == '\r' || b[at] == '\n')) {
          at++;
        }
        if (at < end) {
          if (HttpBytes.isoControl(b[at] & 0xFF)) {
            throw new IllegalStateException(
                "control byte 0x" + Integer.toHexString(b[at] & 0xFF) + " before a start line");
          }
          state = State.START_LINE;
        }
        return at;
      }
      case FIXED, CHUNK_DATA -> {
        int take = (int) Math.min(remaining, end - at);
        messages.content(b, at, take);
        remaining -= take;
        if (remaining == 0) {
          if (state == State.FIXED) {
            eventEnd = at + take;
            endMessage();
          } else {
            state = State.CHUNK_END;
          }
        }
        return at + take;
      }
      case UNTIL_CLOSE -> {
        messages.content(b, at, end - at);
        return end;
      }
      case CHUNK_END -> {
        if (b[at] != (chunkEnd == 0 ? '\r' : '\n')) {
          throw new IllegalStateException("a chunk not followed by CRLF");
        }
        if (++chunkEnd == 2) {
          state = State.CHUNK_SIZE;
        }
        return at + 1;
      }
      case UPGRADED -> {
        messages.upgraded(b, at, end - at);
        return end;
      }
      case BROKEN -> throw new IllegalStateException("framing stopped");
      default -> {
        return line(b, at, end);
      }
    }
  }

  /** Reads one line of a line state, in place when the copy holds all of it. */
  private int line(byte[] b, int at, int end) {
    int max =
        state == State.HEADERS || state == State.TRAILERS ? MAX_HEADERS - headerBytes : MAX_LINE;
    int lf = at;
    int stop = (int) Math.min(end, at + (long) max + 2 - partialLength);
    while (lf < stop && b[lf] != '\n') {
      lf++;
    }
    if (lf == stop) {
      if (partialLength + (stop - at) > max + 1) {
        throw new IllegalStateException(tooLong());
      }
      keep(b, at, end - at);
      return end;
    }
    eventEnd = lf + 1;
    if (partialLength == 0) {
      line(b, at, lf, max);
    } else {
      keep(b, at, lf - at);
      int n = partialLength;
      partialLength = 0;
      byte[] whole = partial;
      if (partial.length > KEPT_SCRATCH) {
        // A long line was cut once: an open connection does not keep its 64 KiB for good.
        partial = new byte[0];
      }
      line(whole, 0, n, max);
    }
    return lf + 1;
  }

  private void keep(byte[] b, int at, int n) {
    if (partialLength + n > partial.length) {
      partial = Arrays.copyOf(partial, Math.max(partialLength + n, 2 * partial.length));
    }
    System.arraycopy(b, at, partial, partialLength, n);
    partialLength += n;
  }

  private String tooLong() {
    return state == State.HEADERS || state == State.TRAILERS
        ? "headers longer than " + MAX_HEADERS + " bytes"
        : "a line longer than " + MAX_LINE + " bytes";
  }

  /** Takes the line {@code b[from, lf)}, whose LF is at {@code lf}. */
  private void line(byte[] b, int from, int lf, int max) {
    if (lf == from || b[lf - 1] != '\r') {
      throw new IllegalStateException("a line not ended by CRLF");
    }
    int to = lf - 1;
    if (to - from > max) {
      throw new IllegalStateException(tooLong());
    }
    switch (state) {
      case START_LINE -> {
        head = request ? HttpHead.request(b, from, to) : HttpHead.response(b, from, to);
        state = State.HEADERS;
      }
      case HEADERS, TRAILERS -> {
        headerBytes += to - from;
        header(b, from, to);
      }
      default -> chunkSize(b, from, to);
    }
  }

  private void header(byte[] b, int from, int to) {
    boolean trailer = state == State.TRAILERS;
    if (from == to) {
      flush(trailer);
      if (trailer) {
        endMessage();
      } else {
        body();
      }
    } else if (name != null && HttpBytes.ows(b[from] & 0xFF)) {
      value = value + ' ' + HttpHead.text(b, from, to).trim();
    } else {
      flush(trailer);
      int nameTo = HttpHead.nameEnd(b, from, to, request);
      name = HttpHead.text(b, from, nameTo);
      value = HttpHead.value(b, nameTo, to);
    }
  }

  /** Adds the waiting header (a trailer only when it may be one, as Netty keeps them). */
  private void flush(boolean trailer) {
    if (name == null) {
      return;
    }
    if (!trailer) {
      head.add(name, value);
    } else if (!name.equalsIgnoreCase("Content-Length")
        && !name.equalsIgnoreCase("Transfer-Encoding")
        && !name.equalsIgnoreCase("Trailer")) {
      HttpHead.check(name, value);
    }
    name = null;
    value = null;
  }

  /** Decides how the body of the head just read is framed (RFC 9112 6.3, as Netty reads it). */
  private void body() {
    long length = BodyFraming.contentLength(head, request);
    if (!request && messages.bodiless(head)) {
      messages.head(head);
      endMessage();
      return;
    }
    boolean chunked = BodyFraming.chunked(head, request);
    messages.head(head);
    if (chunked) {
      state = State.CHUNK_SIZE;
    } else if (length > 0) {
      remaining = length;
      state = State.FIXED;
    } else if (length == 0 || request) {
      endMessage();
    } else {
      state = State.UNTIL_CLOSE;
    }
  }

  private void chunkSize(byte[] b, int from, int to) {
    long size = BodyFraming.chunkSize(b, from, to);
    if (size == 0) {
      state = State.TRAILERS;
    } else {
      remaining = size;
      chunkEnd = 0;
      state = State.CHUNK_DATA;
    }
  }

  private void endMessage() {
    head = null;
    headerBytes = 0;
    remaining = 0;
    state = messages.end() ? State.START : State.UPGRADED;
  }

  /**
   * Returns the offset, in the array being fed, just past the bytes that made the message event
   * now being told ({@link Messages#head}, {@link Messages#end}): where a head or a message ends
   * within the piece fed. Valid only inside those calls made by {@link #feed}.
   */
  public int eventEnd() {
    return eventEnd;
  }

  /**
   * Returns how many bytes of the Content-Length body, or of the chunk, being read are still to
   * come; -1 between them.
   */
  public long bodyRemaining() {
    return state == State.FIXED || state == State.CHUNK_DATA ? remaining : -1;
  }

  /**
   * Counts {@code n} bytes that went by unseen inside the body being read (they were spliced);
   * throws when they reach past it.
   */
  public void skip(long n) {
    if (state == State.UNTIL_CLOSE) {
      messages.skipped(n);
      return;
    }
    if (bodyRemaining() < n) {
      state = State.BROKEN;
      throw new IllegalStateException("bytes went by unseen outside a body");
    }
    messages.skipped(n);
    remaining -= n;
    if (remaining == 0) {
      if (state == State.FIXED) {
        endMessage();
      } else {
        state = State.CHUNK_END;
      }
    }
  }

  /**
   * Ends the stream: a response read until close ends here; anything else in flight stays
   * unfinished.
   */
  public void close() {
    if (state == State.UNTIL_CLOSE) {
      endMessage();
    }
    state = State.BROKEN;
  }
}
