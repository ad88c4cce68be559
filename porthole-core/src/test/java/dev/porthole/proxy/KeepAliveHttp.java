package dev.porthole.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Random;

/**
 * A keep-alive HTTP/1.1 server for tests, on raw sockets so the framing is exactly what a test
 * asks for: it reads each request's body (Content-Length or chunked), answers {@code X-Got: LENGTH
 * SHA-256} of it, and sends {@code GET /data?size=N&seed=S[&chunked]} bytes of {@link #bytes}, as
 * one body with a Content-Length or as one chunk of that size.
 */
final class KeepAliveHttp implements AutoCloseable {
  private final ServerSocket server;
  private final Thread acceptor;

  KeepAliveHttp() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = Thread.ofVirtual().start(this::accept);
  }

  String address() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        Thread.ofVirtual().start(() -> serve(s));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      InputStream in = new java.io.BufferedInputStream(s.getInputStream());
      OutputStream out = new java.io.BufferedOutputStream(s.getOutputStream(), 64 * 1024);
      for (Message m = Message.read(in); m != null; m = Message.read(in)) {
        String target = m.start().split(" ")[1];
        long size = target.contains("size=") ? Long.parseLong(param(target, "size")) : 0;
        long seed = target.contains("seed=") ? Long.parseLong(param(target, "seed")) : 0;
        String head =
            "HTTP/1.1 200 OK\r\nX-Got: " + m.length() + " " + m.sha() + "\r\n"
                + (target.contains("chunked")
                    ? "Transfer-Encoding: chunked\r\n\r\n" + Long.toHexString(size) + "\r\n"
                    : "Content-Length: " + size + "\r\n\r\n");
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        write(out, seed, size);
        if (target.contains("chunked")) {
          out.write((size > 0 ? "\r\n0\r\n\r\n" : "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        out.flush();
      }
    } catch (IOException gone) {
      // The client went away: this connection ends.
    }
  }

  private static String param(String target, String name) {
    for (String kv : target.substring(target.indexOf('?') + 1).split("&")) {
      if (kv.startsWith(name + "=")) {
        return kv.substring(name.length() + 1);
      }
    }
    return "0";
  }

  /** Writes {@code size} bytes of {@code Random(seed)}, made 64 KiB at a time. */
  static void write(OutputStream out, long seed, long size) throws IOException {
    Random r = new Random(seed);
    byte[] buf = new byte[64 * 1024];
    for (long left = size; left > 0; ) {
      r.nextBytes(buf);
      int n = (int) Math.min(left, buf.length);
      out.write(buf, 0, n);
      left -= n;
    }
  }

  /** Returns the first {@code n} bytes {@link #write} writes for {@code seed}. */
  static byte[] bytes(long seed, int n) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try {
      write(b, seed, n);
    } catch (IOException impossible) {
      throw new AssertionError(impossible);
    }
    return b.toByteArray();
  }

  /** Returns the SHA-256 of what {@link #write} writes. */
  static String sha(long seed, long size) {
    Digest d = new Digest();
    try {
      write(d, seed, size);
    } catch (IOException impossible) {
      throw new AssertionError(impossible);
    }
    return d.hex();
  }

  @Override
  public void close() throws IOException {
    server.close();
    acceptor.interrupt();
  }

  /** Returns a stream that hashes what is written to it. */
  static final class Digest extends OutputStream {
    private final MessageDigest md;
    private long length;

    Digest() {
      try {
        md = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new AssertionError(e);
      }
    }

    @Override
    public void write(int b) {
      md.update((byte) b);
      length++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      md.update(b, off, len);
      length += len;
    }

    long length() {
      return length;
    }

    String hex() {
      return HexFormat.of().formatHex(md.digest());
    }
  }

  /**
   * One message read from a stream: its start line, headers (lower-case names), and its body's
   * length and SHA-256 (the body is hashed as it is read, never held).
   */
  record Message(String start, java.util.Map<String, String> headers, long length, String sha) {
    /** Reads one message, or returns null at the end of the stream. */
    static Message read(InputStream in) throws IOException {
      String start = line(in);
      if (start == null) {
        return null;
      }
      java.util.Map<String, String> headers = new java.util.HashMap<>();
      for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
        int colon = h.indexOf(':');
        String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        headers.put(name, h.substring(colon + 1).trim());
      }
      Digest d = new Digest();
      if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        for (long n = Long.parseLong(line(in), 16); n > 0; n = Long.parseLong(line(in), 16)) {
          copy(in, d, n);
          line(in);
        }
        line(in); // the empty line after the last chunk
      } else {
        copy(in, d, Long.parseLong(headers.getOrDefault("content-length", "0")));
      }
      return new Message(start, headers, d.length(), d.hex());
    }

    private static void copy(InputStream in, OutputStream out, long n) throws IOException {
      byte[] buf = new byte[64 * 1024];
      for (long left = n; left > 0; ) {
        int r = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (r < 0) {
          throw new IOException("body cut short");
        }
        out.write(buf, 0, r);
        left -= r;
      }
    }

    private static String line(InputStream in) throws IOException {
      StringBuilder b = new StringBuilder();
      for (int c = in.read(); c != '\n'; c = in.read()) {
        if (c < 0) {
          return b.isEmpty() ? null : b.toString();
        }
        if (c != '\r') {
          b.append((char) c);
        }
      }
      return b.toString();
    }
  }
}
