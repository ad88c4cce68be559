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
import java.util.Map;
import java.util.TreeMap;
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

  /** Returns a port on 127.0.0.1 where nothing listens (bound, then closed). */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
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
