package dev.porthole.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The guard: forged Host, foreign Origin and missing token get 403 and change nothing. */
@Timeout(60)
class SecurityTest {
  @TempDir static Path dataDir;
  static Daemon daemon;
  static Http http;
  static Http authed;
  static String token;

  @BeforeAll
  static void start() {
    daemon = Daemon.start(DaemonConfig.local(0, dataDir).withSecurity(false, true));
    http = new Http(daemon.url());
    token = Token.read(dataDir);
    authed = new Http(daemon.url(), "Authorization", "Bearer " + token);
  }

  @AfterAll
  static void stop() {
    daemon.close();
  }

  private static final String CREATE =
      "{\"name\":\"s\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"x:1\"}";

  private static String request(String method, String host, String... headers) {
    StringBuilder sb = new StringBuilder(method + " /proxies HTTP/1.1\r\nHost: " + host + "\r\n");
    for (String h : headers) {
      sb.append(h).append("\r\n");
    }
    String body = method.equals("POST") ? CREATE : "";
    return sb.append("Content-Length: ")
        .append(body.length())
        .append("\r\nConnection: close\r\n\r\n")
        .append(body)
        .toString();
  }

  @Test
  void theTokenFileIsOwnerOnly() throws IOException {
    assertThat(token).matches("[0-9a-f]{64}");
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("token"))))
        .isEqualTo("rw-------");
  }

  @Test
  void aForgedHostIsRefusedEvenForReading() throws IOException {
    for (String host :
        new String[] {
          "evil.example", "127.0.0.1.evil.example", "10.0.0.1:8474", "localhost.evil"
        }) {
      String r = Http.raw(daemon.port(), request("GET", host));
      assertThat(r)
          .as(host)
          .startsWith("HTTP/1.1 403")
          .contains("is not a loopback name (DNS rebinding protection)");
    }
    String post =
        Http.raw(daemon.port(), request("POST", "evil.example", "Authorization: Bearer " + token));
    assertThat(post).startsWith("HTTP/1.1 403");
    assertThat(authed.get("/proxies").body()).isEqualTo("{}");
  }

  @Test
  void loopbackHostsAreAccepted() throws IOException {
    for (String host :
        new String[] {"localhost", "LOCALHOST:1", "app.localhost", "127.1.2.3:80", "[::1]:8474"}) {
      assertThat(Http.raw(daemon.port(), request("GET", host, "Authorization: Bearer " + token)))
          .as(host)
          .startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void aForeignOriginCannotChangeState() {
    String auth = "Bearer " + token;
    for (String origin :
        new String[] {
          "http://evil.example",
          "http://localhost:3000",
          "null",
          "https://127.0.0.1:" + daemon.port(),
          "http://127.0.0.2:" + daemon.port(),
          "http://[::1]:" + daemon.port(),
          "http://127.0.0.1:" + (daemon.port() + 1),
          "http://127.0.0.1"
        }) {
      HttpResponse<String> r =
          http.send("POST", "/proxies", CREATE, "Origin", origin, "Authorization", auth);
      assertThat(r.statusCode()).as(origin).isEqualTo(403);
      assertThat(r.body()).contains("is not this daemon's");
    }
    assertThat(authed.get("/proxies").body()).isEqualTo("{}");
    // reading is allowed from anywhere the Host check lets through, with the token
    assertThat(authed.send("GET", "/proxies", null, "Origin", "http://evil.example").statusCode())
        .isEqualTo(200);
    // the daemon's own origin, exactly as the Host header names it
    assertThat(
            authed
                .send("POST", "/proxies", CREATE, "Origin", "http://127.0.0.1:" + daemon.port())
                .statusCode())
        .isEqualTo(201);
    assertThat(authed.delete("/proxies/s").statusCode()).isEqualTo(204);
  }

  @Test
  void stateChangesNeedTheTokenAndTheDaemonsOwnOriginIsFine() {
    HttpResponse<String> missing = http.post("/proxies", CREATE);
    assertThat(missing.statusCode()).isEqualTo(403);
    assertThat(missing.body()).contains("missing token");
    HttpResponse<String> wrong =
        http.send("POST", "/proxies", CREATE, "Authorization", "Bearer nope");
    assertThat(wrong.statusCode()).isEqualTo(403);
    assertThat(http.send("DELETE", "/proxies/s", null).statusCode()).isEqualTo(403);
    assertThat(authed.get("/proxies").body()).isEqualTo("{}");
    HttpResponse<String> ok =
        http.send(
            "POST",
            "/proxies",
            CREATE,
            "Authorization",
            "Bearer " + token,
            "Origin",
            "http://127.0.0.1:" + daemon.port());
    assertThat(ok.statusCode()).isEqualTo(201);
    assertThat(
            http.send("DELETE", "/proxies/s", null, "Authorization", "Bearer " + token)
                .statusCode())
        .isEqualTo(204);
  }

  @Test
  void bindingBeyondLoopbackNeedsAllowRemote() {
    DaemonConfig exposed = new DaemonConfig("0.0.0.0", 0, dataDir, -1, false, false, true);
    assertThatThrownBy(() -> Daemon.start(exposed))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("host: 0.0.0.0 is not loopback (add --allow-remote to listen beyond it)");
    assertThat(DaemonConfig.local(0, dataDir).withSecurity(true, false).tokenRequired()).isTrue();
  }

  @Test
  void hostAndOriginParsing() {
    assertThat(LoopbackNames.hostOf("[::1]:80")).isEqualTo("::1");
    assertThat(LoopbackNames.portOf("[::1]:80")).isEqualTo(80);
    assertThat(LoopbackNames.portOf("localhost")).isEqualTo(-1);
    assertThat(LoopbackNames.isLoopback("127.0.0.256")).isFalse();
    assertThat(LoopbackNames.isLoopback("128.0.0.1")).isFalse();
    assertThat(SecurityGuard.sameOrigin("http://localhost:9", "localhost:9", 9)).isTrue();
    assertThat(SecurityGuard.sameOrigin("http://LocalHost:9/", "localhost:9", 9)).isTrue();
    assertThat(SecurityGuard.sameOrigin("http://127.0.0.1:9", "localhost:9", 9)).isFalse();
    assertThat(SecurityGuard.sameOrigin("http://127.0.0.2:9", "127.0.0.1:9", 9)).isFalse();
    assertThat(SecurityGuard.sameOrigin("http://[::1]:9", "127.0.0.1:9", 9)).isFalse();
    assertThat(SecurityGuard.sameOrigin("http://[::1]:9", "[::1]:9", 9)).isTrue();
    assertThat(SecurityGuard.sameOrigin("http://localhost:9", "localhost:9", 10)).isFalse();
    assertThat(SecurityGuard.sameOrigin("http://localhost:8", "localhost:9", 9)).isFalse();
  }

  @Test
  void readsNeedTheTokenButTheVersionAndTheDashboardsFilesDoNot() throws IOException {
    for (String path :
        new String[] {
          "/proxies",
          "/api/proxies",
          "/api/status",
          "/api/watch/events",
          "/api/watch/listeners",
          "/api/dashboard/ports",
          "/api/dashboard/events",
          "/metrics",
          "/api/dashboard/stream"
        }) {
      HttpResponse<String> r = http.get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(403);
      assertThat(r.body()).as(path).contains("missing token");
      assertThat(authed.get(path.equals("/api/dashboard/stream") ? "/version" : path).statusCode())
          .as(path)
          .isLessThan(400);
    }
    for (String path : new String[] {"/version", "/", "/dashboard/main.js"}) {
      assertThat(http.get(path).statusCode()).as(path).isEqualTo(200);
    }
    assertThat(http.get("/api/dashboard/stream?token=nope").statusCode()).isEqualTo(403);
    assertThat(http.get("/api/status?token=" + token).statusCode())
        .as("query only for the feed")
        .isEqualTo(403);
    // EventSource cannot send headers: the feed takes the token in its query
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", daemon.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream()
          .write(
              ("GET /api/dashboard/stream?token=" + token + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String status =
          new java.io.BufferedReader(
                  new java.io.InputStreamReader(
                      s.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII))
              .readLine();
      assertThat(status).isEqualTo("HTTP/1.1 200 OK");
    }
  }
}
