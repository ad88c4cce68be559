package dev.porthole.capture;

import dev.porthole.http1.Header;
import java.util.List;

/**
 * Returns estimates of what captured values take on the heap, for the bounds on what open
 * connections hold and what waits for the store: close enough to bound memory, cheap enough to
 * compute per exchange.
 */
public final class Held {
  /** Returns what a kept {@link Chunk} costs on top of its bytes. */
  static final int CHUNK = 48;

  // An exchange's object, its two lists, two arrays and strings: measured near 400 bytes.
  private static final int EXCHANGE = 400;
  // A header: its record, two strings with their arrays.
  private static final int HEADER = 80;

  private Held() {}

  /** Returns the estimated heap size of {@code x}. */
  public static long of(HttpExchange x) {
    long n = EXCHANGE + x.target().length() + x.requestBody().length + x.responseBody().length;
    return n + headers(x.requestHeaders()) + headers(x.responseHeaders());
  }

  /** Returns the estimated heap size of {@code r}: its chunks and its exchanges. */
  public static long of(ConnectionRecord r) {
    long n = 512 + (long) r.chunks().size() * CHUNK + r.keptBytes();
    for (HttpExchange x : r.exchanges()) {
      n += of(x);
    }
    for (WebSocketFrame f : r.frames()) {
      n += 100 + (f.data() == null ? 0 : f.data().length());
    }
    return n;
  }

  private static long headers(List<Header> headers) {
    long n = 0;
    for (Header h : headers) {
      n += HEADER + h.name().length() + h.value().length();
    }
    return n;
  }
}
