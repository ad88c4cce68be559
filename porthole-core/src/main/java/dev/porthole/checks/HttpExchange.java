package dev.porthole.checks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Returns one HTTP/1.1 request written by hand, so that "request sent" and "first byte" can be
 * timed apart — a client library would hide both.
 */
final class HttpExchange {
  /** The headers worth showing; the rest are noise for a check. */
  private static final List<String> KEY_HEADERS =
      List.of(
          "server",
          "content-type",
          "content-length",
          "transfer-encoding",
          "location",
          "connection");

  private static final int MAX_HEADER_BYTES = 64 * 1024;

  private HttpExchange() {}

  /** Writes the request; returns nothing, timing is the caller's. */
  static void send(Socket socket, Target target) throws IOException {
    String request =
        "GET "
            + target.path()
            + " HTTP/1.1\r\n"
            + "Host: "
            + target.authority()
            + "\r\n"
            + "User-Agent: porthole-check\r\n"
            + "Accept: */*\r\n"
            + "Connection: close\r\n\r\n";
    OutputStream out = socket.getOutputStream();
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /**
   * Returns the first byte of the answer, or -1 at end of stream; blocks up to the socket timeout.
   */
  static int firstByte(InputStream in) throws IOException {
    return in.read();
  }

  /** Returns the parsed response, given its first byte; reads until the body ends. */
  static HttpInfo read(int first, InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    head.write(first);
    int state = 0; // how much of "\r\n\r\n" has been seen
    while (state < 4) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
      state = (b == '\r' && state % 2 == 0) || (b == '\n' && state % 2 == 1) ? state + 1 : 0;
      if (head.size() > MAX_HEADER_BYTES) {
        throw new IOException("response headers longer than " + MAX_HEADER_BYTES + " bytes");
      }
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    String[] status = lines[0].split(" ", 3);
    if (!lines[0].startsWith("HTTP/") || status.length < 2) {
      throw new NotHttpException(lines[0]);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        String name = lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT);
        if (KEY_HEADERS.contains(name)) {
          headers.put(name, lines[i].substring(colon + 1).strip());
        }
      }
    }
    int code;
    try {
      code = Integer.parseInt(status[1]);
    } catch (NumberFormatException e) {
      throw new NotHttpException(lines[0]);
    }
    return new HttpInfo(code, status.length > 2 ? status[2] : "", headers, body(code, headers, in));
  }

  /** Returns the body's size, read the way the headers say it ends (a server may keep alive). */
  private static long body(int code, Map<String, String> headers, InputStream in)
      throws IOException {
    if (code == 204 || code == 304 || code / 100 == 1) {
      return 0;
    }
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      return chunkedSize(in);
    }
    String length = headers.get("content-length");
    if (length != null) {
      try {
        long n = Long.parseLong(length.strip());
        in.skipNBytes(n);
        return n;
      } catch (NumberFormatException e) {
        // unparsable length: fall back to reading until the server closes
      }
    }
    return in.transferTo(OutputStream.nullOutputStream());
  }

  private static long chunkedSize(InputStream in) throws IOException {
    long total = 0;
    while (true) {
      String line = line(in);
      if (line == null) {
        return total;
      }
      int semi = line.indexOf(';');
      long size = Long.parseLong((semi < 0 ? line : line.substring(0, semi)).strip(), 16);
      if (size == 0) {
        return total;
      }
      in.skipNBytes(size);
      total += size;
      line(in); // the CRLF after the chunk
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (b != '\r') {
        sb.append((char) b);
      }
    }
    return b < 0 && sb.isEmpty() ? null : sb.toString();
  }

  /** Thrown when the answer does not start with an HTTP status line. */
  static final class NotHttpException extends IOException {
    NotHttpException(String firstLine) {
      super("the answer is not HTTP: '" + printable(firstLine) + "'");
    }

    private static String printable(String s) {
      String cut = s.length() > 40 ? s.substring(0, 40) + "…" : s;
      return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
  }
}
