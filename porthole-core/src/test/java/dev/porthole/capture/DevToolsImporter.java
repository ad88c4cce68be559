package dev.porthole.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Returns Chromium's own DevTools HAR importer, run in a real headless Chromium: the bundled front
 * end ({@code devtools://devtools/bundled/devtools_app.html}) is loaded through Debian's {@code
 * chromedriver}, spoken to over the plain W3C WebDriver protocol, and its {@code models/har/har.js}
 * module parses a HAR ({@code HARFormat.HARRoot}, which throws on what it cannot read) and turns it
 * into network requests ({@code Importer.requestsFromHARLog}), as the Network panel's "Import HAR
 * file" does.
 */
final class DevToolsImporter implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String IMPORT =
      """
      const [text, done] = arguments;
      (async () => {
        const HAR = await import('./models/har/har.js');
        const log = new HAR.HARFormat.HARRoot(JSON.parse(text)).log;
        return HAR.Importer.Importer.requestsFromHARLog(log).map((r) => ({
          url: r.url(), method: r.requestMethod, status: r.statusCode,
          type: r.resourceType().name(), size: r.resourceSize,
          frames: r.frames().map((f) => f.type + ' ' + f.opCode + ' ' + f.text)}));
      })().then(done, (e) => done({error: String((e && e.stack) || e)}));
      """;

  private final Process driver;
  private final HttpClient http = HttpClient.newHttpClient();
  private final String base;
  private final Path profile;
  private String session;

  DevToolsImporter() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    base = "http://127.0.0.1:" + port;
    profile = Files.createTempDirectory("porthole-devtools");
    driver =
        new ProcessBuilder("chromedriver", "--port=" + port)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      try {
        call("GET", "/status", null);
        break;
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("chromedriver did not answer within 20 s", notYet);
        }
        Thread.sleep(100);
      }
    }
    Map<String, Object> chrome =
        Map.of(
            "args",
            List.of(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--disable-background-networking",
                "--user-data-dir=" + profile));
    JsonNode s =
        call(
            "POST",
            "/session",
            Map.of("capabilities", Map.of("alwaysMatch", Map.of("goog:chromeOptions", chrome))));
    session = s.at("/value/sessionId").asText();
    call("POST", "/session/" + session + "/timeouts", Map.of("script", 30_000, "pageLoad", 30_000));
    call(
        "POST",
        "/session/" + session + "/url",
        Map.of("url", "devtools://devtools/bundled/devtools_app.html"));
  }

  /** Returns the requests DevTools imported from {@code har} (or throws with its error). */
  JsonNode importHar(String har) throws Exception {
    JsonNode v =
        call(
                "POST",
                "/session/" + session + "/execute/async",
                Map.of("script", IMPORT, "args", List.of(har)))
            .path("value");
    if (v.has("error")) {
      throw new AssertionError("DevTools could not import the HAR: " + v.path("error").asText());
    }
    return v;
  }

  private JsonNode call(String method, String path, Object body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json");
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
    HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    JsonNode n = JSON.readTree(r.body());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("chromedriver " + path + ": " + n.at("/value/message"));
    }
    return n;
  }

  @Override
  public void close() throws Exception {
    try {
      if (session != null) {
        call("DELETE", "/session/" + session, null);
      }
    } finally {
      driver.destroy();
      driver.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
      http.close();
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }
}
