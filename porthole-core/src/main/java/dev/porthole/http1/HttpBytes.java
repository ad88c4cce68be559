package dev.porthole.http1;

/**
 * Returns the byte classes HTTP/1.1 framing tests, as Netty's decoder draws them (RFC 9110 and
 * 9112): tokens, separators of a start line, optional whitespace. Bytes are given unsigned.
 */
final class HttpBytes {
  // tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|"
  //   / "~" / DIGIT / ALPHA
  private static final boolean[] TOKEN = new boolean[128];

  static {
    for (int c = '0'; c <= '9'; c++) {
      TOKEN[c] = true;
    }
    for (int c = 'A'; c <= 'Z'; c++) {
      TOKEN[c] = true;
      TOKEN[c + 32] = true;
    }
    for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
      TOKEN[c] = true;
    }
  }

  private HttpBytes() {}

  static boolean token(int c) {
    return c < 128 && TOKEN[c];
  }

  /** Returns whether {@code c} is SP or HTAB. */
  static boolean ows(int c) {
    return c == ' ' || c == '\t';
  }

  /** Returns whether {@code c} separates a start line's words: SP, HT, VT, FF or CR. */
  static boolean separator(int c) {
    return c == ' ' || (c >= 0x09 && c <= 0x0D && c != 0x0A);
  }

  /** Returns whether {@code c} is ASCII whitespace as Java's {@code Character.isWhitespace}. */
  static boolean whitespace(int c) {
    return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
  }

  /** Returns whether {@code c} may not end a request line: a control byte or a space. */
  static boolean controlOrSpace(int c) {
    return c <= 0x20;
  }

  /** Returns whether {@code c} is an ISO control byte (C0, DEL, C1). */
  static boolean isoControl(int c) {
    return c < 0x20 || (c >= 0x7F && c <= 0x9F);
  }

  static boolean digit(byte c) {
    return c >= '0' && c <= '9';
  }

  /** Returns whether {@code b} holds the ASCII {@code s} from {@code at}. */
  static boolean equals(byte[] b, int at, String s) {
    for (int i = 0; i < s.length(); i++) {
      if (b[at + i] != s.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** Returns the value of hex digit {@code c}, or -1. */
  static int hex(int c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    int l = c | 0x20;
    return l >= 'a' && l <= 'f' ? l - 'a' + 10 : -1;
  }
}
