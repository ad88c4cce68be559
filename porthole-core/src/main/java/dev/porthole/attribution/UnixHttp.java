package dev.porthole.attribution;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * One HTTP/1.1 request over a unix socket with {@code Connection: close}, bounded by a deadline:
 * all the Docker Engine API needs. Written here rather than pulled in (docker-java brings Jersey or
 * Apache HttpClient and a dozen jars) because two GETs and a POST need only this.
 */
final class UnixHttp {
  private static final int MAX_BYTES = 32 << 20;

  private UnixHttp() {}

  /**
   * Returns an answer: the status code and the body (chunked encoding removed), as UTF-8 text and
   * as the bytes (for binary streams such as the engine's multiplexed logs).
   */
  record Response(int status, String body, byte[] bytes) {}

  /** Thrown when the server sent something that is not HTTP. */
  static final class GarbageException extends IOException {
    GarbageException(String message) {
      super(message);
    }
  }

  /** Thrown when the deadline passed before the whole answer came. */
  static final class DeadlineException extends IOException {
    DeadlineException(String message) {
      super(message);
    }
  }

  /** Sends {@code method path} to the socket at {@code socket} and returns the whole answer. */
  static Response request(Path socket, String method, String path, Duration timeout)
      throws IOException {
    String request =
        method
            + " "
            + path
            + " HTTP/1.1\r\nHost: docker\r\nUser-Agent: porthole\r\n"
            + (method.equals("POST") ? "Content-Length: 0\r\n" : "")
            + "Connection: close\r\n\r\n";
    return parse(exchange(socket, request, timeout));
  }

  /**
   * Sends {@code request} to the socket at {@code socket} and returns all it answers until it
   * closes the connection (HTTP with "Connection: close", or slirp4netns's one-line JSON API).
   */
  static byte[] exchange(Path socket, String request, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        Selector selector = Selector.open()) {
      channel.connect(UnixDomainSocketAddress.of(socket)); // local: never blocks for long
      channel.configureBlocking(false);
      ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8));
      while (out.hasRemaining()) {
        channel.write(out);
      }
      channel.register(selector, SelectionKey.OP_READ);
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      ByteBuffer in = ByteBuffer.allocate(64 << 10);
      while (true) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          throw new DeadlineException("no complete answer within " + timeout.toMillis() + " ms");
        }
        selector.select(left);
        selector.selectedKeys().clear();
        int n = channel.read(in);
        if (n < 0) {
          break;
        }
        received.write(in.array(), 0, in.position());
        in.clear();
        if (received.size() > MAX_BYTES) {
          throw new GarbageException("answer larger than " + MAX_BYTES + " bytes");
        }
      }
      return received.toByteArray();
    }
  }

  static Response parse(byte[] raw) throws GarbageException {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int headEnd = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/1.") || headEnd < 0 || text.length() < 12) {
      throw new GarbageException("not an HTTP answer: " + preview(text));
    }
    int status;
    try {
      status = Integer.parseInt(text.substring(9, 12));
    } catch (NumberFormatException e) {
      throw new GarbageException("bad status line: " + preview(text));
    }
    String head = text.substring(0, headEnd).toLowerCase(Locale.ROOT);
    String body = text.substring(headEnd + 4);
    if (head.contains("\r\ntransfer-encoding: chunked")) {
      body = unchunk(body);
    }
    byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
    return new Response(status, new String(bytes, StandardCharsets.UTF_8), bytes);
  }

  private static String unchunk(String body) throws GarbageException {
    StringBuilder out = new StringBuilder(body.length());
    int at = 0;
    while (true) {
      int lineEnd = body.indexOf("\r\n", at);
      if (lineEnd < 0) {
        throw new GarbageException("truncated chunked body");
      }
      int size;
      try {
        size = Integer.parseInt(body.substring(at, lineEnd).split(";")[0].strip(), 16);
      } catch (NumberFormatException e) {
        throw new GarbageException("bad chunk size: " + preview(body.substring(at)));
      }
      if (size == 0) {
        return out.toString();
      }
      int start = lineEnd + 2;
      if (start + size > body.length()) {
        throw new GarbageException("truncated chunk");
      }
      out.append(body, start, start + size);
      at = start + size + 2;
    }
  }

  private static String preview(String text) {
    String line = text.lines().findFirst().orElse("");
    return "'" + (line.length() > 40 ? line.substring(0, 40) + "..." : line) + "'";
  }
}
