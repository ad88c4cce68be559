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
 * Toxiproxy's routes answer with Toxiproxy 2.12.0's status codes and texts (checked against the
 * real server), porthole's own routes keep their better codes; /metrics has the JVM's series.
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
  void aBindConflictIs500OnToxiproxysRoutesAnd400OnOurs() throws IOException {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String addr = "127.0.0.1:" + busy.getLocalPort();
      String body = "{\"name\":\"c\",\"listen\":\"" + addr + "\",\"upstream\":\"x:1\"}";
      HttpResponse<String> toxiproxy = http.post("/proxies", body);
      assertThat(toxiproxy.statusCode()).isEqualTo(500);
      assertThat(toxiproxy.body())
          .isEqualTo(
              "{\"error\":\"listen tcp "
                  + addr
                  + ": bind: address already in use\","
                  + "\"status\":500}\n");
      assertThat(http.post("/api/proxies", body).statusCode()).isEqualTo(400);
    }
  }

  @Test
  void populateWithAMalformedListenIs500InGosWords() {
    HttpResponse<String> r =
        http.post("/populate", "[{\"name\":\"a\",\"listen\":\"local373\",\"upstream\":\"x:1\"}]");
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body())
        .isEqualTo(
            "{\"error\":\"listen tcp: address local373: missing port in address\","
                + "\"status\":500,\"proxies\":null}");
    assertThat(
            http.post(
                    "/api/populate", "[{\"name\":\"a\",\"listen\":\"a:b:c\",\"upstream\":\"x:1\"}]")
                .body())
        .contains("\"status\":400", "listen tcp: address a:b:c: too many colons in address");
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
