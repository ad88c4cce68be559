package dev.porthole.proxy;

import static dev.porthole.proxy.TcpProxyTest.connect;
import static dev.porthole.proxy.TcpProxyTest.loopback0;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.porthole.testsupport.EchoServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the HTTP toxics through a real proxy in front of the JDK's HTTP server. */
@Timeout(60)
class HttpToxicsEndToEndTest {
  static ProxyEngine engine;
  static HttpServer server;
  static final AtomicInteger seen = new AtomicInteger();
  static final byte[] BIG = new byte[200_000];
  RunningProxy proxy;
  HttpClient client;

  @BeforeAll
  static void startAll() throws IOException {
    engine = new ProxyEngine();
    server = HttpServer.create(loopback0(), 0);
    server.createContext("/", ex -> {
      seen.incrementAndGet();
      byte[] body = ex.getRequestURI().getPath().equals("/big")
          ? BIG
          : ("hi " + ex.getRequestMethod() + " " + ex.getRequestURI()).getBytes(
              StandardCharsets.UTF_8);
      ex.getRequestBody().readAllBytes();
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    server.start();
  }

  @AfterAll
  static void stopAll() {
    server.stop(0);
    engine.close();
  }

  @BeforeEach
  void start() throws IOException {
    seen.set(0);
    String upstream = "127.0.0.1:" + server.getAddress().getPort();
    proxy = engine.start(ProxyOptions.tcp("http", loopback0(), upstream));
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterEach
  void stop() {
    client.close();
    proxy.close();
  }

  void toxic(String type, Direction d, Map<String, Object> attrs) {
    proxy.toxics(List.of(ToxicSpec.of(type, type, d, attrs)));
  }

  HttpResponse<String> get(String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + proxy.localAddress().getPort() + path);
    return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Sends one request on {@code s} and reads one Content-Length response: "status body". */
  static String exchange(Socket s, String method, String path) throws IOException {
    String request = method + " " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n";
    s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    InputStream in = s.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        return "EOF";
      }
      head.write(b);
    }
    String text = head.toString(StandardCharsets.US_ASCII);
    String length = text.toLowerCase().split("content-length: ")[1].split("\r\n")[0];
    byte[] body = in.readNBytes(Integer.parseInt(length.strip()));
    return text.split(" ")[1] + " " + new String(body, StandardCharsets.UTF_8);
  }

  @Test
  void errorAnswersEveryRequestAndTheUpstreamSeesNone() throws Exception {
    toxic("http_error", Direction.UPSTREAM, Map.of("status", 503L, "body", "nope"));
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> r = get("/x/" + i);
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).isEqualTo("nope");
    }
    assertThat(seen).hasValue(0);
  }

  @Test
  void errorKeepsTheConnectionAliveAndFiltersByMethodAndPath() throws Exception {
    toxic("http_error", Direction.UPSTREAM,
        Map.of("status", 429L, "method", "GET", "path", "/api/*"));
    try (Socket s = connect(proxy)) {
      assertThat(exchange(s, "GET", "/api/users?id=3")).isEqualTo("429 ");
      assertThat(exchange(s, "GET", "/health")).isEqualTo("200 hi GET /health");
      assertThat(exchange(s, "POST", "/api/users")).isEqualTo("200 hi POST /api/users");
      assertThat(exchange(s, "GET", "/api/v2/x")).isEqualTo("429 ");
      assertThat(exchange(s, "GET", "/")).isEqualTo("200 hi GET /");
    }
    assertThat(seen).hasValue(3);
  }

  @Test
  void errorRateHitsAboutThatShareOfRequests() throws Exception {
    toxic("http_error", Direction.UPSTREAM, Map.of("rate", 0.3));
    int n = 200;
    int errors = 0;
    for (int i = 0; i < n; i++) {
      errors += get("/r").statusCode() == 503 ? 1 : 0;
    }
    // Binomial(200, 0.3): mean 60, sd 6.5; 25..95 is more than 5 sd either side.
    assertThat(errors).isBetween(25, 95);
    assertThat(seen).hasValue(n - errors);
  }

  @Test
  void dropClosesWithoutAnAnswer() throws Exception {
    toxic("http_drop", Direction.UPSTREAM, Map.of("path", "/down"));
    try (Socket s = connect(proxy)) {
      assertThat(exchange(s, "GET", "/up")).isEqualTo("200 hi GET /up");
      assertThat(exchange(s, "GET", "/down")).isEqualTo("EOF");
    }
    assertThat(seen).hasValue(1);
  }

  @Test
  void nonHttpThroughTheToxicsIsByteIdentical() throws Exception {
    try (EchoServer echo = new EchoServer();
        RunningProxy raw = engine.start(ProxyOptions.tcp("raw", loopback0(), echo.address()))) {
      raw.toxics(List.of(
          ToxicSpec.of("e", "http_error", Direction.UPSTREAM, Map.of()),
          ToxicSpec.of("d", "http_drop", Direction.UPSTREAM, Map.of()),
          ToxicSpec.of("w", "http_delay", Direction.DOWNSTREAM, Map.of("delay", 100L)),
          ToxicSpec.of("a", "http_abort", Direction.DOWNSTREAM, Map.of())));
      byte[] data = new byte[300_000];
      new Random(42).nextBytes(data);
      data[0] = 0x16; // a TLS record's first byte: not an HTTP method
      try (Socket s = connect(raw)) {
        Thread writer = Thread.ofVirtual().start(() -> {
          try {
            s.getOutputStream().write(data);
          } catch (IOException e) {
            throw new RuntimeException(e);
          }
        });
        byte[] back = s.getInputStream().readNBytes(data.length);
        writer.join(10_000);
        assertThat(Arrays.equals(back, data)).isTrue();
      }
    }
  }

  static long millis(Socket s, String path) throws IOException {
    long start = System.nanoTime();
    assertThat(exchange(s, "GET", path)).startsWith("200 ");
    return (System.nanoTime() - start) / 1_000_000;
  }

  @Test
  void delayHoldsMatchingResponses() throws Exception {
    toxic("http_delay", Direction.DOWNSTREAM, Map.of("delay", 600L, "path", "/slow*"));
    try (Socket s = connect(proxy)) {
      millis(s, "/warm-up");
      assertThat(millis(s, "/slow/1")).isBetween(595L, 5_000L);
      assertThat(millis(s, "/fast")).isLessThan(500L);
      assertThat(millis(s, "/slow/2")).isBetween(595L, 5_000L);
    }
  }

  @Test
  void abortResetsTheClientAfterTheBytes() throws Exception {
    toxic("http_abort", Direction.DOWNSTREAM, Map.of("after_bytes", 1000L, "path", "/big"));
    try (Socket s = connect(proxy)) {
      assertThat(exchange(s, "GET", "/small")).isEqualTo("200 hi GET /small");
      s.getOutputStream().write("GET /big HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(
          StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      IOException reset = null;
      try {
        for (int n; (n = in.read(buf)) > 0; ) {
          got.write(buf, 0, n);
        }
      } catch (SocketException e) {
        reset = e;
      }
      assertThat(reset).as("an RST").isNotNull();
      String text = got.toString(StandardCharsets.ISO_8859_1);
      int head = text.indexOf("\r\n\r\n") + 4;
      // The RST may discard some of the bytes sent before it, never add any.
      assertThat(got.size() - (head < 4 ? 0 : head)).isBetween(0, 1000);
    }
  }
}
