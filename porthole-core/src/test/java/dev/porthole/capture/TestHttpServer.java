package dev.porthole.capture;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.zip.GZIPOutputStream;

/**
 * Returns a small real HTTP/1.1 server on 127.0.0.1 port 0 (the JDK's, keep-alive): {@code /text}
 * answers 200 with a fixed length, {@code /chunked} a chunked body, {@code /gzip} a gzip body,
 * {@code /br} a brotli body (a fixture made by the real {@code brotli} encoder), {@code /echo} the
 * request body, {@code /missing} 404.
 */
final class TestHttpServer implements AutoCloseable {
  static final String TEXT = "hello from the test server\n";

  private final HttpServer server;

  TestHttpServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange x) throws IOException {
    byte[] request = x.getRequestBody().readAllBytes();
    String path = x.getRequestURI().getPath();
    byte[] body;
    long length;
    switch (path) {
      case "/chunked" -> {
        body = TEXT.repeat(100).getBytes(StandardCharsets.US_ASCII);
        length = 0; // the JDK server sends chunked for 0
      }
      case "/gzip" -> {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
          gz.write(TEXT.repeat(50).getBytes(StandardCharsets.US_ASCII));
        }
        body = out.toByteArray();
        length = body.length;
        x.getResponseHeaders().add("Content-Encoding", "gzip");
      }
      case "/br" -> {
        try (var in = TestHttpServer.class.getResourceAsStream("/capture/hello50.txt.br")) {
          body = in.readAllBytes();
        }
        length = body.length;
        x.getResponseHeaders().add("Content-Encoding", "br");
      }
      case "/echo" -> {
        body = request;
        length = body.length == 0 ? -1 : body.length;
      }
      default -> {
        body = TEXT.getBytes(StandardCharsets.US_ASCII);
        length = body.length;
      }
    }
    x.getResponseHeaders().add("Content-Type", "text/plain");
    x.sendResponseHeaders(path.equals("/missing") ? 404 : 200, length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
