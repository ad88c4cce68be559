package dev.porthole.http1;

/**
 * Checks a chunk-size line that carries extensions ({@code 1a;name=value;name="quoted"}) byte by
 * byte, as Netty's decoder does since it refuses malformed ones (RFC 9112 7.1.1): a line it refuses
 * is not HTTP here either.
 */
final class ChunkExtensions {
  private static final int SIZE = 0;
  private static final int NAME = 1;
  private static final int VALUE_START = 2;
  private static final int QUOTED = 3;
  private static final int ESCAPE = 4;
  private static final int QUOTED_END = 5;
  private static final int TOKEN = 6;
  private static final String DELIMITERS = "(),/:<=>?@[\\]{}";

  private ChunkExtensions() {}

  /** Throws unless {@code b[from, to)} is a valid chunk-size line with extensions. */
  static void check(byte[] b, int from, int to) {
    int state = SIZE;
    for (int i = from; i < to; i++) {
      state = next(state, b[i] & 0xFF);
    }
    if (state == QUOTED || state == ESCAPE || state == VALUE_START) {
      throw new IllegalStateException("bad chunk extension");
    }
  }

  private static int next(int state, int c) {
    if (c >= 0x80) {
      // Netty's byte sets index by the signed byte and throw for these: refused everywhere.
      throw new IllegalStateException("bad chunk extension");
    }
    boolean visible = c >= 0x21 && c <= 0x7E;
    boolean ows = HttpBytes.ows(c);
    int next =
        switch (state) {
          case SIZE -> HttpBytes.hex(c) >= 0 || ows ? SIZE : c == ';' ? NAME : -1;
          case NAME ->
              (visible && DELIMITERS.indexOf(c) < 0) || ows ? NAME : c == '=' ? VALUE_START : -1;
          case VALUE_START ->
              ows
                  ? VALUE_START
                  : c == '"' ? QUOTED : visible && DELIMITERS.indexOf(c) < 0 ? TOKEN : -1;
          case QUOTED ->
              c == '\\'
                  ? ESCAPE
                  : c == '"'
                      ? QUOTED_END
                      : c == '\t' || c == ' ' || c == '!' || (c >= 0x23 && c <= 0x7E) ? QUOTED : -1;
          case ESCAPE -> c == '\t' || c == ' ' || visible ? QUOTED : -1;
          case QUOTED_END -> ows ? QUOTED_END : c == ';' ? NAME : -1;
          default ->
              visible && DELIMITERS.indexOf(c) < 0 && c != ';' ? TOKEN : c == ';' ? NAME : -1;
        };
    if (next < 0) {
      throw new IllegalStateException(state == SIZE ? "bad chunk size" : "bad chunk extension");
    }
    return next;
  }
}
