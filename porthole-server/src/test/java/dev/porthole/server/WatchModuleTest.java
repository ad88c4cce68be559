package dev.porthole.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.proxy.ProxyRegistry;
import dev.porthole.watch.WatchSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
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

/** The daemon's watch: /metrics (checked by promtool), the watch API and its errors. */
@Timeout(120)
class WatchModuleTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  @TempDir static Path data;
  private static Daemon daemon;
  private static ServerSocket listener;
  private static ServerSocket upstream;

  @BeforeAll
  static void start() throws Exception {
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    daemon =
        Daemon.start(
            DaemonConfig.local(0, data)
                .withWatch(
                    new WatchSettings(Duration.ofMillis(200), null, null, null, null, false)));
    daemon
        .services()
        .proxies()
        .create(
            new ProxyRegistry.NewProxy(
                "db", "127.0.0.1:0", "127.0.0.1:" + upstream.getLocalPort(), true, null));
    // One connection through the proxy, so its counters move.
    String listen = daemon.services().proxies().get("db").listen();
    int proxyPort = Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
    try (Socket client = new Socket(InetAddress.getLoopbackAddress(), proxyPort);
        Socket served = upstream.accept()) {
      OutputStream out = client.getOutputStream();
      out.write("hello".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(served.getInputStream().readNBytes(5)).hasSize(5);
    }
  }

  @AfterAll
  static void stop() throws IOException {
    daemon.close();
    listener.close();
    upstream.close();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(daemon.url() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Returns the metrics once the watcher has seen the test's listener (its first cycles). */
  private static String metricsWithListener() throws Exception {
    String needle = "port=\"" + listener.getLocalPort() + "\"";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String body = "";
    while (System.nanoTime() < deadline) {
      body = get("/metrics").body();
      if (body.contains(needle)
          && !body.contains("porthole_watch_events_total{type=\"opened\"} 0.0")) {
        return body;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no listener " + needle + " in /metrics:\n" + body);
  }

  @Test
  void metricsShowListenersEventsAndProxiesAndPassPromtool() throws Exception {
    String body = metricsWithListener();
    int port = listener.getLocalPort();
    assertThat(body)
        .contains(
            "porthole_listeners{port=\""
                + port
                + "\",process=\"java\",protocol=\"tcp\","
                + "scope=\"loopback\"} 1")
        .containsPattern("porthole_watch_events_total\\{type=\"opened\"} [1-9]")
        .contains("porthole_watch_events_total{type=\"violation\"} 0")
        .containsPattern("porthole_proxy_bytes_total\\{direction=\"upstream\",proxy=\"db\"} 5")
        .containsPattern("porthole_proxy_connections_total\\{proxy=\"db\"} 1")
        .containsPattern(
            "toxiproxy_proxy_received_bytes_total\\{direction=\"upstream\",listener=\""
                + "127\\.0\\.0\\.1:\\d+\",proxy=\"db\",upstream=\"127\\.0\\.0\\.1:\\d+\"} 5")
        .contains("toxiproxy_proxy_sent_bytes_total{direction=\"downstream\"");

    Process promtool =
        new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    try (OutputStream in = promtool.getOutputStream()) {
      in.write(body.getBytes(StandardCharsets.UTF_8));
    }
    String report = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(promtool.exitValue()).as(report).isZero();
  }

  @Test
  void theWatchApiAnswersAndRejectsBadInputWith400() throws Exception {
    metricsWithListener();
    int port = listener.getLocalPort();
    HttpResponse<String> events = get("/api/watch/events?since=1h&type=opened&port=" + port);
    assertThat(events.statusCode()).isEqualTo(200);
    assertThat(events.body()).contains("\"type\":\"opened\"").contains("\"port\":" + port);
    assertThat(get("/api/watch/listeners").body()).contains("\"port\":" + port);
    assertThat(get("/api/watch/history/" + port).body()).contains("\"opened\":\"");

    HttpResponse<String> since = get("/api/watch/events?since=yesterday");
    assertThat(since.statusCode()).isEqualTo(400);
    assertThat(since.body()).contains("since: 'yesterday' (expected: a duration like 250ms, 30s,");
    HttpResponse<String> absurd = get("/api/watch/events?since=99999999999999d");
    assertThat(absurd.statusCode()).as(absurd.body()).isEqualTo(400);
    assertThat(absurd.body()).contains("since: '99999999999999d' (expected: ");
    assertThat(get("/api/watch/events?since=99999999999h").body())
        .contains("since: '99999999999h' (expected: at most 366d)");
    assertThat(get("/api/watch/events?type=nope").statusCode()).isEqualTo(400);
    assertThat(get("/api/watch/history/abc").statusCode()).isEqualTo(400);
    assertThat(get("/api/watch/history/0").statusCode()).isEqualTo(400);
  }

  @Test
  void daemonsInOneJvmKeepTheirOwnWatchSettings(@TempDir Path other) {
    try (Daemon off = Daemon.start(DaemonConfig.local(0, other).withWatch(null))) {
      assertThat(new Http(off.url()).get("/api/watch/events").statusCode()).isEqualTo(404);
      assertThat(new Http(daemon.url()).get("/api/watch/events").statusCode()).isEqualTo(200);
    }
  }
}
