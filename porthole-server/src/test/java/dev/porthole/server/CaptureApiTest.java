package dev.porthole.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.porthole.proxy.ProxyRegistry;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The capture routes of a real daemon, fed by real requests through one of its proxies. */
@Timeout(120)
class CaptureApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path data;
  static Daemon daemon;
  static HttpServer upstream;
  static Http api;
  static String proxyBase;

  @BeforeAll
  static void start() throws Exception {
    upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    upstream.createContext(
        "/",
        x -> {
          byte[] body = ("you asked for " + x.getRequestURI()).getBytes(StandardCharsets.UTF_8);
          x.getResponseHeaders().add("Content-Type", "text/plain");
          x.sendResponseHeaders(
              x.getRequestURI().getPath().equals("/fail") ? 503 : 200, body.length);
          try (OutputStream out = x.getResponseBody()) {
            out.write(body);
          }
        });
    upstream.start();
    daemon = Daemon.start(DaemonConfig.local(0, data));
    api = new Http(daemon.url());
    daemon
        .services()
        .proxies()
        .create(
            new ProxyRegistry.NewProxy(
                "web", "127.0.0.1:0", "127.0.0.1:" + upstream.getAddress().getPort(), true, null));
    String listen = daemon.services().proxies().get("web").listen();
    proxyBase = "http://127.0.0.1:" + listen.substring(listen.lastIndexOf(':') + 1);
    try (HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build()) {
      for (String path : new String[] {"/a", "/b?x=1", "/fail"}) {
        client.send(
            HttpRequest.newBuilder(URI.create(proxyBase + path)).build(),
            HttpResponse.BodyHandlers.ofString());
      }
    }
    // The records are written when the connection closes.
    closeConnections();
  }

  static void closeConnections() throws Exception {
    // Disabling a proxy closes its connections: their records are written then.
    daemon.services().proxies().update("web", new ProxyRegistry.ProxyUpdate(null, null, false));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (daemon.services().capture().writer().written() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  @AfterAll
  static void stop() {
    daemon.close();
    upstream.stop(0);
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  @Test
  void harListsTheRequestsMadeThroughTheProxy() throws Exception {
    HttpResponse<String> r = api.get("/api/proxies/web/capture.har?since=10m");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode entries = json(r).at("/log/entries");
    assertThat(entries).hasSize(3);
    assertThat(entries.get(1).at("/request/url").asText()).isEqualTo(proxyBase + "/b?x=1");
    assertThat(entries.get(2).at("/response/status").asInt()).isEqualTo(503);
    assertThat(entries.get(0).at("/response/content/text").asText()).isEqualTo("you asked for /a");
  }

  @Test
  void pcapStartsWithTheGlobalHeader() throws Exception {
    HttpResponse<byte[]> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(daemon.url() + "/api/proxies/web/capture.pcap"))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/vnd.tcpdump.pcap");
    assertThat(r.body()).startsWith(0xd4, 0xc3, 0xb2, 0xa1);
    assertThat(r.body().length).isGreaterThan(24 + 3 * 16);
  }

  @Test
  void statsCountRequestsErrorsAndLatencyPerRequestLine() throws Exception {
    JsonNode s = json(api.get("/api/proxies/web/stats"));
    assertThat(s.at("/total/requests").asLong()).isEqualTo(3);
    assertThat(s.at("/total/errors").asLong()).isEqualTo(1);
    assertThat(s.at("/total/maxMillis").asDouble()).isGreaterThan(0);
    assertThat(s.path("routes").findValuesAsText("key")).contains("GET /a", "GET /b", "GET /fail");
    String metrics = api.get("/metrics").body();
    assertThat(metrics).contains("porthole_capture_requests{proxy=\"web\",route=\"GET /a\"} 1.0");
    assertThat(metrics).contains("porthole_capture_dropped_records_total 0.0");
  }

  @Test
  void theFeedGivesRequestsAndConnectionsInOrder() throws Exception {
    JsonNode page = json(api.get("/api/capture/events?after=0&proxy=web"));
    assertThat(page.path("events").findValuesAsText("type")).contains("request", "connection");
    long next = page.path("next").asLong();
    assertThat(json(api.get("/api/capture/events?after=" + next)).path("events")).isEmpty();
    // A limit beyond an int is the cap (5000), not a wrapped-around 0.
    String huge = "/api/capture/events?after=0&proxy=web&limit=4294967296";
    assertThat(json(api.get(huge)).path("events")).hasSameSizeAs(page.path("events"));
    JsonNode status = json(api.get("/api/capture/status"));
    assertThat(status.path("droppedRecords").asLong()).isZero();
    assertThat(status.path("storedRecords").asLong()).isGreaterThanOrEqualTo(1);
    // The memory bounds' gauges (CaptureMemoryTest checks what they count); a few small requests
    // stay far below the bound on what open connections hold.
    assertThat(status.path("heldBytes").isNumber()).isTrue();
    assertThat(status.path("backlogBytes").isNumber()).isTrue();
    assertThat(status.path("notKept").isNumber()).isTrue();
    assertThat(status.path("notKept").asLong()).isZero();
  }

  @Test
  void badInputGetsOneLineErrors() throws Exception {
    HttpResponse<String> unknown = api.get("/api/proxies/nope/capture.har");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(json(unknown).path("error").asText()).isEqualTo("proxy not found: nope");
    HttpResponse<String> since = api.get("/api/proxies/web/capture.pcap?since=ten");
    assertThat(since.statusCode()).isEqualTo(400);
    assertThat(json(since).path("error").asText()).startsWith("since:");
    assertThat(api.get("/api/capture/events?after=-1").statusCode()).isEqualTo(400);
  }
}
