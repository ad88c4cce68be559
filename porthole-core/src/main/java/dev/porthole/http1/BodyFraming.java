package dev.porthole.http1;

import java.util.ArrayList;
import java.util.List;

/**
 * Returns how an HTTP/1.1 message's body is framed, from its head (RFC 9112 section 6, with the
 * checks of Netty's decoder that refuse request smuggling): its Content-Length, whether it is
 * chunked, each chunk's size.
 */
final class BodyFraming {
  private BodyFraming() {}

  /**
   * Returns the body's length from Content-Length (or a Hixie-76 WebSocket handshake's fixed
   * length), or -1 when the head gives none; throws on a malformed or conflicting one.
   */
  static long contentLength(HttpHead head, boolean request) {
    List<String> fields = values(head, "Content-Length");
    if (fields.isEmpty()) {
      if (request) {
        return "GET".equals(head.method())
                && head.header("Sec-WebSocket-Key1") != null
                && head.header("Sec-WebSocket-Key2") != null
            ? 8
            : -1;
      }
      return head.status() == 101
              && head.header("Sec-WebSocket-Origin") != null
              && head.header("Sec-WebSocket-Location") != null
          ? 16
          : -1;
    }
    String first = fields.getFirst();
    if ((fields.size() > 1 || first.indexOf(',') >= 0) && !head.http10OrEarlier()) {
      throw new IllegalStateException("more than one Content-Length");
    }
    if (first.isEmpty() || !HttpBytes.digit((byte) first.charAt(0))) {
      throw new IllegalStateException("Content-Length is not a number");
    }
    try {
      return Long.parseLong(first);
    } catch (NumberFormatException e) {
      throw new IllegalStateException("Content-Length is not a number");
    }
  }

  /** Returns whether the body is chunked; throws on a Transfer-Encoding HTTP/1.1 refuses. */
  static boolean chunked(HttpHead head, boolean request) {
    List<String> codings = values(head, "Transfer-Encoding");
    if (codings.isEmpty()) {
      return false;
    }
    if (!head.exactHttp11()) {
      throw new IllegalStateException("Transfer-Encoding outside HTTP/1.1");
    }
    boolean chunked = false;
    boolean last = false;
    for (String field : codings) {
      for (String coding : field.split(",", -1)) {
        String c = coding.trim();
        if (c.equalsIgnoreCase("chunked")) {
          if (chunked) {
            throw new IllegalStateException("chunked applied twice");
          }
          chunked = true;
          last = true;
        } else if (!c.isEmpty()) {
          last = false;
        }
      }
    }
    if (!chunked && request) {
      throw new IllegalStateException("a request whose last transfer coding is not chunked");
    }
    if (chunked && !last) {
      throw new IllegalStateException("chunked is not the last transfer coding");
    }
    if (chunked && head.header("Content-Length") != null) {
      throw new IllegalStateException("both Content-Length and Transfer-Encoding");
    }
    return chunked;
  }

  /** Returns the size of the chunk line {@code b[from, to)}: hex digits, then extensions. */
  static long chunkSize(byte[] b, int from, int to) {
    boolean extensions = false;
    for (int i = from; i < to; i++) {
      if (b[i] == ';') {
        extensions = true;
        break;
      }
    }
    if (extensions) {
      ChunkExtensions.check(b, from, to);
    }
    long size = 0;
    for (int i = from; i < to; i++) {
      int digit = HttpBytes.hex(b[i] & 0xFF);
      if (digit < 0) {
        int j = i;
        while (j < to && HttpBytes.ows(b[j] & 0xFF)) {
          j++;
        }
        if (j < to && b[j] == ';' && i > from) {
          return size;
        }
        throw new IllegalStateException("bad chunk size");
      }
      size = size * 16 + digit;
      if (size > Integer.MAX_VALUE) {
        throw new IllegalStateException("chunk size overflow");
      }
    }
    if (from == to) {
      throw new IllegalStateException("empty chunk size");
    }
    return size;
  }

  private static List<String> values(HttpHead head, String name) {
    List<String> out = List.of();
    for (Header h : head.headers()) {
      if (h.name().equalsIgnoreCase(name)) {
        if (out.isEmpty()) {
          out = new ArrayList<>(2);
        }
        out.add(h.value());
      }
    }
    return out;
  }
}
