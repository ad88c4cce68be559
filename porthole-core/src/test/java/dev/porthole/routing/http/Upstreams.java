package dev.porthole.routing.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/** Returns real upstreams for router tests: an HTTP echo server, a resetting server, free ports. */
final class Upstreams {
  private Upstreams() {}

  /** Returns an HTTP server on 127.0.0.1:0 that answers "who=NAME" plus the request's facts. */
  static HttpServer echo(String who) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    s.createContext("/", ex -> answer(ex, who));
    s.start();
    return s;
  }

  private static void answer(HttpExchange ex, String who) throws IOException {
    long bytes = 0;
    try (InputStream in = ex.getRequestBody()) {
      byte[] buf = new byte[65536];
      for (int n; (n = in.read(buf)) > 0; ) {
        bytes += n;
      }
    }
    Map<String, String> facts = new TreeMap<>();
    facts.put("who", who);
    facts.put("method", ex.getRequestMethod());
    facts.put("path", ex.getRequestURI().toString());
    facts.put("bytes", Long.toString(bytes));
    for (String h :
        new String[] {
          "Host",
          "X-Forwarded-For",
          "X-Forwarded-Proto",
          "X-Forwarded-Host",
          "Forwarded",
          "Connection"
        }) {
      facts.put(h.toLowerCase(), String.valueOf(ex.getRequestHeaders().getFirst(h)));
    }
    StringBuilder sb = new StringBuilder();
    facts.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
    byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain");
    ex.sendResponseHeaders(200, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  /**
   * Returns an HTTP server on 127.0.0.1:0 for bodies: {@code GET /bytes/N} answers N bytes of
   * {@link #pattern}, {@code POST /sha256} the SHA-256 of the request body in hex and its length. A
   * download cut by the router (its connection closed mid-body) counts down {@code cut}.
   */
  static HttpServer bulk(CountDownLatch cut) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    s.createContext("/bytes/", ex -> download(ex, cut));
    s.createContext("/sha256", Upstreams::digest);
    s.start();
    return s;
  }

  /** Returns byte {@code i} of the bulk server's bodies: not repeating every 256 bytes. */
  static byte pattern(long i) {
    return (byte) ((i * 31 + i / 251) % 253);
  }

  private static void download(HttpExchange ex, CountDownLatch cut) throws IOException {
    long n = Long.parseLong(ex.getRequestURI().getPath().substring("/bytes/".length()));
    ex.sendResponseHeaders(200, n);
    byte[] buf = new byte[16384];
    try (OutputStream out = ex.getResponseBody()) {
      for (long sent = 0; sent < n; ) {
        int len = (int) Math.min(buf.length, n - sent);
        for (int i = 0; i < len; i++) {
          buf[i] = pattern(sent + i);
        }
        out.write(buf, 0, len);
        sent += len;
      }
    } catch (IOException e) {
      cut.countDown();
      throw e;
    }
  }

  private static void digest(HttpExchange ex) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    long bytes = 0;
    try (InputStream in = ex.getRequestBody()) {
      byte[] buf = new byte[65536];
      for (int n; (n = in.read(buf)) > 0; ) {
        sha.update(buf, 0, n);
        bytes += n;
      }
    }
    byte[] body =
        (HexFormat.of().formatHex(sha.digest()) + " " + bytes + "\n")
            .getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(200, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  /** Returns a port on 127.0.0.1 where nothing listens (bound, then closed). */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * Returns a server that accepts and reads but never answers; each connection that the other side
   * closes counts down {@code closed}.
   */
  static ServerSocket silent(CountDownLatch closed) throws IOException {
    ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual()
        .start(
            () -> {
              while (!s.isClosed()) {
                try {
                  Socket c = s.accept();
                  Thread.ofVirtual().start(() -> readToEnd(c, closed));
                } catch (IOException e) {
                  return;
                }
              }
            });
    return s;
  }

  private static void readToEnd(Socket c, CountDownLatch closed) {
    try (c) {
      InputStream in = c.getInputStream();
      while (in.read(new byte[4096]) >= 0) {
        // a request head, then nothing: the answer never comes
      }
    } catch (IOException e) {
      // reset by the router: closed as well
    }
    closed.countDown();
  }

  /** Returns a server that accepts, reads the request head and resets the connection. */
  static ServerSocket resetting() throws IOException {
    ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual()
        .start(
            () -> {
              while (!s.isClosed()) {
                try (Socket c = s.accept()) {
                  c.getInputStream().read(new byte[4096]);
                  c.setSoLinger(true, 0); // close with RST
                } catch (IOException e) {
                  return;
                }
              }
            });
    return s;
  }
}
