package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.porthole.junit5.FreePort;
import dev.porthole.junit5.ProxyTo;
import dev.porthole.testing.LocalProxy;
import dev.porthole.testing.PortReservation;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Java's HttpClient against a JDK HttpServer through a porthole proxy. */
class HttpClientThroughProxyTest {
  // Started in the field initializer: fields are injected before @BeforeEach runs.
  final HttpServer server = start(0);

  @ProxyTo(field = "server", requireTraffic = true)
  LocalProxy api;

  final HttpClient client = HttpClient.newHttpClient();

  static HttpServer start(int port) {
    try {
      HttpServer s =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
      s.createContext(
          "/",
          ex -> {
            byte[] body = "x".repeat(100_000).getBytes();
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
          });
      s.start();
      return s;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @AfterEach
  void stop() {
    server.stop(0);
    client.close();
  }

  HttpResponse<String> get(Duration timeout) throws IOException, InterruptedException {
    HttpRequest r = HttpRequest.newBuilder(api.uri("http").resolve("/")).timeout(timeout).build();
    return client.send(r, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aSlowApiHitsTheClientTimeout() throws Exception {
    assertEquals(200, get(Duration.ofSeconds(5)).statusCode());
    api.toxics().latency(Duration.ofSeconds(2));
    assertThrows(HttpTimeoutException.class, () -> get(Duration.ofMillis(500)));
  }

  @Test
  void aResetIsAnIoError() {
    api.toxics().resetPeer(Duration.ZERO);
    IOException e = assertThrows(IOException.class, () -> get(Duration.ofSeconds(5)));
    assertTrue(!(e instanceof HttpTimeoutException), "reset, not timeout: " + e);
  }

  @Test
  void littleBandwidthSlowsTheDownload() throws Exception {
    api.toxics().bandwidth(100); // 100 KB/s: 100 kB take about a second
    long start = System.nanoTime();
    assertEquals(100_000, get(Duration.ofSeconds(30)).body().length());
    long took = (System.nanoTime() - start) / 1_000_000;
    assertTrue(took >= 800, "100 kB at 100 KB/s took " + took + " ms");
  }

  @Test
  void aServerOnAReservedPort(@FreePort PortReservation port) throws Exception {
    HttpServer own = start(port.release());
    try (LocalProxy direct = LocalProxy.to(port.port())) {
      HttpRequest r = HttpRequest.newBuilder(direct.uri("http").resolve("/")).build();
      assertEquals(200, client.send(r, HttpResponse.BodyHandlers.discarding()).statusCode());
      get(Duration.ofSeconds(5)); // and the guarded proxy too
    } finally {
      own.stop(0);
    }
  }
}
