package dev.porthole.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's page, files and routes over plain HTTP against a daemon that requires its token:
 * the guard covers them (forged Host, foreign Origin, missing token: 403 and nothing happens), and
 * bad input is a 4xx with a reason.
 */
@Timeout(90)
class DashboardApiTest {
  private static final Pattern IMPORT =
      Pattern.compile("(?:from|import) '\\./([a-z0-9-]+\\.js)'");

  @TempDir static Path dataDir;
  static Daemon daemon;
  static Http http;
  static Http reader;
  static String auth;

  @BeforeAll
  static void start() {
    daemon = Daemon.start(DaemonConfig.local(0, dataDir).withSecurity(false, true));
    auth = "Bearer " + Token.read(dataDir);
    http = new Http(daemon.url());
    // Reads need the token too when one is required.
    reader = new Http(daemon.url(), "Authorization", auth);
  }

  @AfterAll
  static void stop() {
    daemon.close();
  }

  static JsonNode json(HttpResponse<String> r) {
    return DashboardBrowserTest.json(r);
  }

  @Test
  void thePageAndItsFilesComeFromTheJarWithATightPolicy() {
    HttpResponse<String> page = http.get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("default-src 'self'", "frame-ancestors 'none'");
    assertThat(page.body()).contains("<script type=\"module\" src=\"/dashboard/main.js\"></script>");
    assertThat(page.body()).doesNotContain("https://", "http://");
    // Every module the page loads, followed through its imports, comes from the daemon.
    Map<String, String> modules = new TreeMap<>();
    Deque<String> todo = new ArrayDeque<>(List.of("main.js"));
    while (!todo.isEmpty()) {
      String name = todo.pop();
      if (modules.containsKey(name)) {
        continue;
      }
      HttpResponse<String> js = http.get("/dashboard/" + name);
      assertThat(js.statusCode()).as(name).isEqualTo(200);
      assertThat(js.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/javascript");
      assertThat(js.body()).as(name).doesNotContain("https://", "http://");
      modules.put(name, js.body());
      Matcher imports = IMPORT.matcher(js.body());
      while (imports.find()) {
        todo.push(imports.group(1));
      }
    }
    assertThat(modules)
        .containsKeys(
            "core.js",
            "feed.js",
            "overview.js",
            "ports.js",
            "proxies.js",
            "events.js",
            "traffic.js",
            "routes.js");
    assertThat(modules.get("feed.js")).contains("new EventSource('/api/dashboard/stream'");
    assertThat(http.get("/dashboard/app.css").statusCode()).isEqualTo(200);
    assertThat(http.get("/dashboard/nothing.js").statusCode()).isEqualTo(404);
    assertThat(http.get("/dashboard/..%2Fdashboard%2Fmain.js").statusCode()).isEqualTo(404);
  }

  @Test
  void aListenerShowsWithItsOwnerScopeAndClass() throws IOException, InterruptedException {
    try (ServerSocket s = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      JsonNode row = awaitRow(s.getLocalPort());
      assertThat(row.path("address").asText()).isEqualTo("127.0.0.1");
      assertThat(row.path("scope").asText()).isEqualTo("loopback");
      assertThat(row.path("exposed").asBoolean()).isFalse();
      assertThat(row.path("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
      assertThat(row.path("class").asText()).isIn("registered", "dynamic");
      JsonNode detail = json(reader.get("/api/dashboard/ports/" + s.getLocalPort()));
      JsonNode process = detail.path("listeners").get(0).path("processDetails");
      assertThat(process.path("exe").asText()).endsWith("java");
      assertThat(process.path("sha256").asText()).hasSize(64);
      JsonNode check = json(reader.get("/api/dashboard/ports/" + s.getLocalPort() + "/check"));
      assertThat(check.path("up").asBoolean()).isTrue();
      assertThat(check.path("steps").findValuesAsText("name")).contains("connect");
      HttpResponse<String> remote =
          reader.get("/api/dashboard/ports/" + s.getLocalPort() + "/check?address=10.0.0.1");
      assertThat(remote.statusCode()).isEqualTo(400);
      assertThat(json(remote).path("error").asText())
          .isEqualTo("address: 10.0.0.1 (expected: a loopback address such as 127.0.0.1 or ::1)");
    }
  }

  /** Returns the listener row of {@code port} once the feed has sampled it (bounded wait). */
  static JsonNode awaitRow(int port) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      for (JsonNode row : json(reader.get("/api/dashboard/ports"))) {
        if (row.path("port").asInt() == port) {
          return row;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("port " + port + " never showed in /api/dashboard/ports");
  }

  @Test
  void killEndsTheHolderOnlyWithTheRightHostOriginAndToken() throws Exception {
    Process child =
        new ProcessBuilder(
                "python3",
                "-c",
                "import socket,time\ns=socket.socket()\ns.bind(('127.0.0.1',0))\ns.listen()\n"
                    + "print(s.getsockname()[1],flush=True)\ntime.sleep(120)")
            .redirectErrorStream(true)
            .start();
    try {
      int port =
          Integer.parseInt(
              new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))
                  .readLine()
                  .strip());
      awaitRow(port);
      String path = "/api/dashboard/ports/" + port + "/kill";
      String body = "{\"pid\":" + child.pid() + "}";
      String forged =
          Http.raw(
              daemon.port(),
              "POST "
                  + path
                  + " HTTP/1.1\r\nHost: evil.example\r\nAuthorization: "
                  + auth
                  + "\r\nContent-Length: "
                  + body.length()
                  + "\r\nConnection: close\r\n\r\n"
                  + body);
      assertThat(forged).startsWith("HTTP/1.1 403");
      HttpResponse<String> foreign =
          http.send("POST", path, body, "Origin", "http://evil.example", "Authorization", auth);
      assertThat(foreign.statusCode()).isEqualTo(403);
      HttpResponse<String> missing = http.send("POST", path, body, "Origin", daemon.url());
      assertThat(missing.statusCode()).isEqualTo(403);
      assertThat(json(missing).path("error").asText()).contains("missing token");
      assertThat(child.waitFor(300, TimeUnit.MILLISECONDS))
          .as("still alive after refusals")
          .isFalse();

      HttpResponse<String> ok =
          http.send("POST", path, body, "Origin", daemon.url(), "Authorization", auth);
      assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
      assertThat(json(ok).path("exited").asBoolean()).isTrue();
      assertThat(child.waitFor(5, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }
  }

  @Test
  void killNamesWhatIsWrongWithAMalformedBody() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      String path = "/api/dashboard/ports/" + s.getLocalPort() + "/kill";
      String invalid = "{\"error\":\"bad request body: invalid JSON\",\"status\":400}";
      String notObject =
          "{\"error\":\"bad request body: expected a JSON object\",\"status\":400}";
      for (String body : new String[] {"[", "{\"pid\":", "{pid: 1}", "\u00ff"}) {
        HttpResponse<String> r = http.send("POST", path, body, "Authorization", auth);
        assertThat(r.statusCode()).as(body).isEqualTo(400);
        assertThat(r.body()).as(body).isEqualTo(invalid);
      }
      for (String body : new String[] {"", "  ", "[]", "7", "null", "\"pid\""}) {
        HttpResponse<String> r = http.send("POST", path, body, "Authorization", auth);
        assertThat(r.statusCode()).as(body).isEqualTo(400);
        assertThat(r.body()).as(body).isEqualTo(notObject);
      }
    }
  }

  @Test
  void killRefusesTheDaemonItselfAndBadInput() throws IOException, InterruptedException {
    try (ServerSocket s = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      awaitRow(s.getLocalPort());
      String path = "/api/dashboard/ports/" + s.getLocalPort() + "/kill";
      HttpResponse<String> self =
          http.send(
              "POST",
              path,
              "{\"pid\":" + ProcessHandle.current().pid() + "}",
              "Authorization",
              auth);
      assertThat(self.statusCode()).isEqualTo(409);
      assertThat(json(self).path("error").asText()).contains("is the porthole daemon itself");
      HttpResponse<String> other = http.send("POST", path, "{\"pid\":1}", "Authorization", auth);
      assertThat(other.statusCode()).isEqualTo(404);
      assertThat(json(other).path("error").asText())
          .isEqualTo("pid 1 does not hold port " + s.getLocalPort() + " (did it exit already?)");
      assertThat(http.send("POST", path, "{}", "Authorization", auth).body())
          .isEqualTo("{\"error\":\"missing required field: pid\",\"status\":400}");
      assertThat(http.send("POST", path, "[", "Authorization", auth).statusCode()).isEqualTo(400);
      // a pid that is there but unusable is not "missing": the reason names what was sent
      assertThat(http.send("POST", path, "{\"pid\":99999999999}", "Authorization", auth).body())
          .isEqualTo(
              "{\"error\":\"pid: 99999999999 (expected: 1 to 4194304)\",\"status\":400}");
      assertThat(
              json(http.send("POST", path, "{\"pid\":\"1\"}", "Authorization", auth))
                  .path("error")
                  .asText())
          .isEqualTo("pid: '\"1\"' (expected: a whole number from 1 to 4194304)");
      assertThat(http.send("POST", path, "{\"pid\":-3}", "Authorization", auth).statusCode())
          .isEqualTo(400);
    }
    HttpResponse<String> badPort = reader.get("/api/dashboard/ports/http");
    assertThat(badPort.statusCode()).isEqualTo(400);
    assertThat(badPort.body())
        .isEqualTo(
            "{\"error\":\"port: 'http' (expected: a whole number from 1 to 65535)\","
                + "\"status\":400}");
    // "٨٠" (Arabic-Indic digits) is not port 80, as Integer.parseInt would have it.
    assertThat(reader.get("/api/dashboard/ports/%D9%A8%D9%A0").statusCode()).isEqualTo(400);
  }

  @Test
  void proxyAndToxicRoutesAreGuardedTheSameWay() {
    String create = "{\"name\":\"g\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"127.0.0.1:9\"}";
    for (String prefix : new String[] {"/api", ""}) {
      assertThat(
              http.send(
                      "POST",
                      prefix + "/proxies",
                      create,
                      "Origin",
                      "http://evil.example",
                      "Authorization",
                      auth)
                  .statusCode())
          .isEqualTo(403);
      assertThat(http.post(prefix + "/proxies", create).statusCode()).isEqualTo(403);
    }
    assertThat(json(reader.get("/api/proxies"))).isEmpty();
    assertThat(http.send("POST", "/api/proxies", create, "Authorization", auth).statusCode())
        .isEqualTo(201);
    String toxic = "{\"type\":\"latency\",\"attributes\":{\"latency\":10}}";
    for (String prefix : new String[] {"/api", ""}) {
      String path = prefix + "/proxies/g/toxics";
      assertThat(
              http.send("POST", path, toxic, "Origin", "http://evil.example", "Authorization", auth)
                  .statusCode())
          .isEqualTo(403);
      assertThat(http.post(path, toxic).statusCode()).isEqualTo(403);
    }
    assertThat(json(reader.get("/api/proxies/g/toxics"))).isEmpty();
    assertThat(
            http.send(
                    "POST",
                    "/api/proxies/g/toxics",
                    toxic,
                    "Origin",
                    daemon.url(),
                    "Authorization",
                    auth)
                .statusCode())
        .isEqualTo(201);
    assertThat(http.delete("/api/proxies/g").statusCode()).isEqualTo(403);
    assertThat(http.send("DELETE", "/api/proxies/g", null, "Authorization", auth).statusCode())
        .isEqualTo(204);
  }

  @Test
  void eventsFilterAndRefuseUnknownTypes() {
    assertThat(reader.get("/api/dashboard/events?type=opened&port=80").statusCode()).isEqualTo(200);
    HttpResponse<String> bad = reader.get("/api/dashboard/events?type=nope");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad).path("error").asText())
        .startsWith("unknown event type 'nope' (expected: opened,");
    assertThat(reader.get("/api/dashboard/events?limit=0").statusCode()).isEqualTo(400);
  }

  @Test
  void theStreamSendsTheWholeStateFirstAndRefusesAForgedHost() throws IOException {
    String forged =
        Http.raw(
            daemon.port(),
            "GET /api/dashboard/stream HTTP/1.1\r\nHost: evil.example\r\n"
                + "Accept: text/event-stream\r\nConnection: close\r\n\r\n");
    assertThat(forged).startsWith("HTTP/1.1 403");
    try (java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), daemon.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream()
          .write(
              ("GET /api/dashboard/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                      + auth
                      + "\r\n"
                      + "Accept: text/event-stream\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      BufferedReader in =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      String line = in.readLine();
      for (int i = 0; i < 20 && line != null && !line.equals("event: hello"); i++) {
        line = in.readLine(); // the status line and headers
      }
      assertThat(line).isEqualTo("event: hello");
      assertThat(in.readLine()).startsWith("data: {\"ports\":{\"rows\":[");
    }
  }
}
