package dev.porthole.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Toxiproxy's routes answer with Toxiproxy 2.12.0's texts and error shape (checked against the real
 * server), but a listen address that is taken is 409 and one that cannot be used 400 where
 * Toxiproxy answers 500, on both route families; /metrics has the JVM's series.
 */
@Timeout(60)
class ToxiproxyStatusTest {
  @TempDir static Path dataDir;
  static Daemon daemon;
  static Http http;

  @BeforeAll
  static void start() {
    daemon = Daemon.start(DaemonConfig.local(0, dataDir));
    http = new Http(daemon.url());
  }

  @AfterAll
  static void stop() {
    daemon.close();
  }

  @Test
  void aTakenListenAddressIs409InToxiprosysErrorShapeOnBothRouteFamilies() throws IOException {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String addr = "127.0.0.1:" + busy.getLocalPort();
      String body = "{\"name\":\"c\",\"listen\":\"" + addr + "\",\"upstream\":\"x:1\"}";
      String error = "listen tcp " + addr + ": bind: address already in use";
      HttpResponse<String> toxiproxy = http.post("/proxies", body);
      assertThat(toxiproxy.statusCode()).isEqualTo(409); // Toxiproxy 2.12.0: 500
      assertThat(toxiproxy.headers().firstValue("Content-Type"))
          .hasValue("text/plain;charset=utf-8");
      assertThat(toxiproxy.body()).isEqualTo("{\"error\":\"" + error + "\",\"status\":409}\n");
      HttpResponse<String> ours = http.post("/api/proxies", body);
      assertThat(ours.statusCode()).isEqualTo(409);
      assertThat(ours.body()).isEqualTo("{\"error\":\"" + error + "\",\"status\":409}");
    }
  }

  @Test
  void anUnparseableListenIs400InGosWordsOnBothRouteFamilies() {
    for (String listen : new String[] {"local373", "127.0.0.1:99999", "127.0.0.1:abc", "a:b:c"}) {
      String body = "{\"name\":\"u\",\"listen\":\"" + listen + "\",\"upstream\":\"x:1\"}";
      for (String path : new String[] {"/proxies", "/api/proxies"}) {
        HttpResponse<String> r = http.post(path, body);
        assertThat(r.statusCode()).as(path + " " + listen).isEqualTo(400);
        assertThat(r.body()).as(path + " " + listen).startsWith("{\"error\":\"listen tcp: ")
            .contains("\"status\":400}");
      }
    }
  }

  @Test
  void populateWithAMalformedListenIs400InGosWords() {
    HttpResponse<String> r =
        http.post("/populate", "[{\"name\":\"a\",\"listen\":\"local373\",\"upstream\":\"x:1\"}]");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body())
        .isEqualTo(
            "{\"error\":\"listen tcp: address local373: missing port in address\","
                + "\"status\":400,\"proxies\":null}");
    assertThat(
            http.post(
                    "/api/populate", "[{\"name\":\"a\",\"listen\":\"a:b:c\",\"upstream\":\"x:1\"}]")
                .body())
        .contains("\"status\":400", "listen tcp: address a:b:c: too many colons in address");
  }

  @Test
  void anUpdateToATakenOrUnparseableListenIs409Or400AndChangesNothing() throws IOException {
    http.post(
        "/proxies", "{\"name\":\"moved\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"x:1\"}");
    String before = http.get("/proxies/moved").body();
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String addr = "127.0.0.1:" + busy.getLocalPort();
      for (String path : new String[] {"/proxies/moved", "/api/proxies/moved"}) {
        HttpResponse<String> taken = http.post(path, "{\"listen\":\"" + addr + "\"}");
        assertThat(taken.statusCode()).as(path).isEqualTo(409);
        assertThat(taken.body())
            .as(path)
            .contains("bind: address already in use", "\"status\":409");
        HttpResponse<String> bad = http.post(path, "{\"listen\":\"abc\"}");
        assertThat(bad.statusCode()).as(path).isEqualTo(400);
        assertThat(bad.body()).as(path).contains("missing port in address", "\"status\":400");
      }
    }
    assertThat(http.get("/proxies/moved").body()).isEqualTo(before);
  }

  @Test
  void aResetThatFindsAProxysAddressTakenIs409() throws IOException {
    String created =
        http.post("/proxies", "{\"name\":\"r\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"x:1\"}")
            .body();
    String listen = created.replaceFirst(".*\"listen\":\"([^\"]+)\".*", "$1");
    http.post("/proxies/r", "{\"enabled\":false}");
    int port = Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
    try (ServerSocket busy = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      HttpResponse<String> r = http.post("/reset", "");
      assertThat(r.statusCode()).isEqualTo(409);
      assertThat(r.body())
          .isEqualTo(
              "{\"error\":\"listen tcp "
                  + listen
                  + ": bind: address already in use\",\"status\":409}\n");
    } finally {
      http.send("DELETE", "/proxies/r", null);
    }
  }

  @Test
  void everyToxiproxyResponseHasARequestId() {
    for (HttpResponse<String> r :
        java.util.List.of(
            http.get("/version"),
            http.get("/proxies/nope"),
            http.post("/proxies", "{"),
            http.send("DELETE", "/proxies/x", null, "Origin", "http://evil.example"),
            http.get("/metrics"))) {
      assertThat(r.headers().firstValue("X-Toxiproxy-Request-Id"))
          .as(r.request().method() + " " + r.uri() + " " + r.statusCode())
          .isPresent();
    }
  }

  @Test
  void metricsCarryTheJvmAndProcessSeries() {
    assertThat(http.get("/metrics").body())
        .contains(
            "jvm_memory_used_bytes",
            "jvm_gc_",
            "jvm_threads_live_threads",
            "jvm_classes_loaded_classes",
            "system_cpu_logical_processors",
            "process_cpu_usage",
            "process_uptime_seconds",
            "process_files_open_files");
  }
}
