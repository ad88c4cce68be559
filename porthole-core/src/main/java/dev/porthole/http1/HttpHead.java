package dev.porthole.http1;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One HTTP/1.1 message head as {@link HttpFramer} read it: the start line's parts and the headers
 * in the order and case they were sent. It is what a capture's exchange keeps and what the HTTP
 * toxics match on, parsed from the bytes in place. The rules are those of Netty's {@code
 * HttpObjectDecoder} (4.2, strict line parsing, validated headers), so a head Netty refuses is
 * refused here too, with a reason in plain words.
 */
public final class HttpHead {
  private static final String HTTP_1_1 = "HTTP/1.1";
  private static final String HTTP_1_0 = "HTTP/1.0";
  // Names and words most heads repeat: returned as constants instead of a new string each time.
  private static final String[] COMMON = {
    "GET",
    "POST",
    "HEAD",
    "PUT",
    "DELETE",
    "OK",
    "Host",
    "Accept",
    "Connection",
    "Content-Type",
    "Content-Length",
    "User-Agent",
    "Server",
    "Date",
    "Transfer-Encoding",
    "Accept-Encoding",
    "Content-Encoding",
    "Last-Modified",
    "ETag",
    "Accept-Ranges",
    "Cache-Control",
    "Keep-Alive",
    "Accept-Language",
    "keep-alive",
    "close",
    "chunked",
    "*/*",
    "bytes",
    "gzip"
  };
  // COMMON by length: a text is compared only with the constants of its length.
  private static final String[][] BY_LENGTH = new String[24][0];

  static {
    for (String c : COMMON) {
      String[] same = BY_LENGTH[c.length()];
      same = java.util.Arrays.copyOf(same, same.length + 1);
      same[same.length - 1] = c;
      BY_LENGTH[c.length()] = same;
    }
  }

  private final String method;
  private final String target;
  private final String version;
  private final int status;
  private final String reason;
  // "HTTP/1.1" exactly as sent: Netty allows Transfer-Encoding only then (its identity check).
  private final boolean exactHttp11;
  private final boolean http10OrEarlier;
  private final List<Header> headers = new ArrayList<>(8);
  private final List<Header> view = Collections.unmodifiableList(headers);

  private HttpHead(
      String method, String target, String version, int status, String reason, boolean exact) {
    this.method = method;
    this.target = target;
    this.version = version;
    this.status = status;
    this.reason = reason;
    this.exactHttp11 = exact;
    int major = version.charAt(5) - '0';
    this.http10OrEarlier = major < 1 || (major == 1 && version.charAt(7) == '0');
  }

  /** Returns the request method ("GET"), or null for a response. */
  public String method() {
    return method;
  }

  /** Returns the request target as sent ("/path?query"), or null for a response. */
  public String target() {
    return target;
  }

  /** Returns the protocol version ("HTTP/1.1"). */
  public String version() {
    return version;
  }

  /** Returns the response status, or 0 for a request. */
  public int status() {
    return status;
  }

  /** Returns the response's reason phrase, or null for a request. */
  public String reason() {
    return reason;
  }

  /** Returns whether the version was sent exactly as "HTTP/1.1". */
  boolean exactHttp11() {
    return exactHttp11;
  }

  /** Returns whether the version is HTTP/1.0 or earlier. */
  boolean http10OrEarlier() {
    return http10OrEarlier;
  }

  /** Returns the request head whose start line is {@code b[from, to)} (no CRLF). */
  static HttpHead request(byte[] b, int from, int to) {
    int[] w = words(b, from, to, true);
    String version = version(b, w[4], w[5]);
    String method = text(b, w[0], w[1]);
    if (method.isEmpty() || tokenEnd(method) >= 0) {
      throw new IllegalStateException("bad method: " + printable(method));
    }
    String target = text(b, w[2], w[3]);
    return new HttpHead(method, target, version, 0, null, isExact(b, w[4], w[5]));
  }

  /** Returns the response head whose status line is {@code b[from, to)} (no CRLF). */
  static HttpHead response(byte[] b, int from, int to) {
    int[] w = words(b, from, to, false);
    String version = version(b, w[0], w[1]);
    String code = text(b, w[2], w[3]);
    int status;
    try {
      status = Integer.parseInt(code);
    } catch (NumberFormatException e) {
      throw new IllegalStateException("bad status: " + printable(code));
    }
    String reason = text(b, w[4], w[5]);
    if (status < 0 || reason.indexOf('\r') >= 0) {
      throw new IllegalStateException("bad status line");
    }
    return new HttpHead(null, null, version, status, reason, isExact(b, w[0], w[1]));
  }

  /**
   * Returns the three words' bounds {@code [aFrom, aTo, bFrom, bTo, cFrom, cTo]}: separated by SP,
   * HT, VT, FF or CR, the third running to the end less trailing SP/HT (a reason phrase).
   */
  private static int[] words(byte[] b, int from, int to, boolean request) {
    int last = b[to - 1] & 0xFF;
    if (HttpBytes.controlOrSpace(last) && (request || !HttpBytes.ows(last))) {
      throw new IllegalStateException("start line ends in 0x" + Integer.toHexString(last));
    }
    int aFrom = nonSeparator(b, from, to);
    int aTo = separator(b, aFrom, to);
    int bFrom = nonSeparator(b, aTo, to);
    int bTo = separator(b, bFrom, to);
    int cFrom = nonSeparator(b, bTo, to);
    int cTo = cFrom;
    for (int i = to - 1; i > cFrom - 1 && i > from; i--) {
      if (!HttpBytes.ows(b[i] & 0xFF)) {
        cTo = i + 1;
        break;
      }
    }
    return new int[] {aFrom, aTo, bFrom, bTo, cFrom, Math.max(cFrom, cTo)};
  }

  private static int nonSeparator(byte[] b, int i, int to) {
    for (; i < to; i++) {
      int c = b[i] & 0xFF;
      if (!HttpBytes.separator(c)) {
        if (HttpBytes.whitespace(c)) {
          throw new IllegalStateException("bad separator 0x" + Integer.toHexString(c));
        }
        return i;
      }
    }
    return to;
  }

  private static int separator(byte[] b, int i, int to) {
    while (i < to && !HttpBytes.separator(b[i] & 0xFF)) {
      i++;
    }
    return i;
  }

  /** Returns the version text ("HTTP/1.1"): HTTP/d.d, any case, one digit each (strict). */
  private static String version(byte[] b, int from, int to) {
    if (isExact(b, from, to)) {
      return HTTP_1_1;
    }
    if (to - from == 8
        && (b[from] | 0x20) == 'h'
        && (b[from + 1] | 0x20) == 't'
        && (b[from + 2] | 0x20) == 't'
        && (b[from + 3] | 0x20) == 'p'
        && b[from + 4] == '/'
        && HttpBytes.digit(b[from + 5])
        && b[from + 6] == '.'
        && HttpBytes.digit(b[from + 7])) {
      return b[from + 5] == '1' && b[from + 7] == '0'
          ? HTTP_1_0
          : "HTTP/" + (char) b[from + 5] + "." + (char) b[from + 7];
    }
    throw new IllegalStateException("bad version: " + printable(text(b, from, to)));
  }

  private static boolean isExact(byte[] b, int from, int to) {
    return to - from == 8 && HttpBytes.equals(b, from, HTTP_1_1);
  }

  /**
   * Returns where the name of header line {@code b[from, to)} (no CRLF) ends: at its colon, or for
   * a response at a space before it (skipped, as Netty does). A continuation line (folded value) is
   * the caller's.
   */
  static int nameEnd(byte[] b, int from, int to, boolean request) {
    int nameTo = from;
    while (nameTo < to && b[nameTo] != ':' && (request || !HttpBytes.ows(b[nameTo] & 0xFF))) {
      nameTo++;
    }
    if (nameTo == to) {
      throw new IllegalStateException("a header line without a colon");
    }
    return nameTo;
  }

  /** Returns the value of the header line {@code b[.., to)} whose name ends at {@code nameTo}. */
  static String value(byte[] b, int nameTo, int to) {
    int colon = nameTo;
    while (colon < to && b[colon] != ':') {
      colon++;
    }
    int valueFrom = Math.min(colon + 1, to);
    for (; valueFrom < to && HttpBytes.whitespace(b[valueFrom] & 0xFF); valueFrom++) {
      if (!HttpBytes.ows(b[valueFrom] & 0xFF)) {
        throw new IllegalStateException("bad whitespace before a header value");
      }
    }
    String value = "";
    if (valueFrom < to) {
      int valueTo = to;
      while (valueTo > valueFrom && HttpBytes.ows(b[valueTo - 1] & 0xFF)) {
        valueTo--;
      }
      value = text(b, valueFrom, valueTo);
    }
    return value;
  }

  /** Adds a header after checking it as Netty's validating headers do. */
  void add(String name, String value) {
    check(name, value);
    headers.add(new Header(name, value));
  }

  /** Checks a header: a token for its name, no control bytes in its value. */
  static void check(String name, String value) {
    if (name.isEmpty()) {
      throw new IllegalStateException("an empty header name");
    }
    int bad = tokenEnd(name);
    if (bad >= 0) {
      throw new IllegalStateException("bad header name: " + printable(name));
    }
    for (int i = 0; i < value.length(); i++) {
      int c = value.charAt(i);
      if (c == 0x7F || (c < 0x20 && (i == 0 || c != '\t')) || (i == 0 && c == ' ')) {
        throw new IllegalStateException("a control byte in header " + name);
      }
    }
  }

  /** Returns the index of the first byte of {@code s} that is not a token byte, or -1. */
  private static int tokenEnd(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (!HttpBytes.token(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  /** Returns the headers in order, as sent. */
  public List<Header> headers() {
    return view;
  }

  /** Returns the first value of header {@code name} (case-insensitive), or null. */
  public String header(String name) {
    return Header.first(headers, name);
  }

  /** Returns whether some value of header {@code name} is {@code value}, both ignoring case. */
  public boolean has(String name, String value) {
    for (Header h : headers) {
      if (h.name().equalsIgnoreCase(name) && h.value().equalsIgnoreCase(value)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns whether the connection stays open after this message, as Netty's {@code
   * HttpUtil.isKeepAlive} reads it: no "close" token in Connection, and on HTTP/1.0 a "keep-alive"
   * one.
   */
  public boolean keepAlive() {
    return !hasToken("Connection", "close")
        && (!HTTP_1_0.equals(version) || hasToken("Connection", "keep-alive"));
  }

  /** Returns whether a comma-separated value of header {@code name} holds {@code token}. */
  private boolean hasToken(String name, String token) {
    for (Header h : headers) {
      if (h.name().equalsIgnoreCase(name)) {
        for (String part : h.value().split(",", -1)) {
          if (part.trim().equalsIgnoreCase(token)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * Returns whether this response never has a body whatever its headers say: 1xx (but a Hixie-76
   * WebSocket 101), 204 and 304. The request's method (HEAD, CONNECT) is the decoding's to add.
   */
  public boolean bodilessStatus() {
    if (status >= 100 && status < 200) {
      return !(status == 101
          && header("Sec-WebSocket-Accept") == null
          && has("Upgrade", "websocket"));
    }
    return status == 204 || status == 304;
  }

  /** Returns {@code b[from, to)} as ISO-8859-1 text, a shared constant when it is a common one. */
  static String text(byte[] b, int from, int to) {
    int n = to - from;
    if (n <= 0) {
      return "";
    }
    if (n < BY_LENGTH.length) {
      for (String c : BY_LENGTH[n]) {
        if (c.charAt(0) == b[from] && HttpBytes.equals(b, from, c)) {
          return c;
        }
      }
    }
    return new String(b, from, n, StandardCharsets.ISO_8859_1);
  }

  private static String printable(String s) {
    String cut = s.length() > 40 ? s.substring(0, 40) + "…" : s;
    StringBuilder out = new StringBuilder(cut.length());
    for (int i = 0; i < cut.length(); i++) {
      char c = cut.charAt(i);
      out.append(c < 0x20 || c == 0x7F ? '?' : c);
    }
    return out.toString();
  }
}
