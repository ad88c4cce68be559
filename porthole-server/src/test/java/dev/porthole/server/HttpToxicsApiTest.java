package dev.porthole.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.testsupport.EchoServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP toxics through the daemon's API: their types, string attributes and bad values. */
@Timeout(60)
class HttpToxicsApiTest {
  @TempDir static Path dataDir;
  static Daemon daemon;
  static Http http;
  static EchoServer echo;

  @BeforeAll
  static void start() throws IOException {
    daemon = Daemon.start(DaemonConfig.local(0, dataDir));
    http = new Http(daemon.url());
    echo = new EchoServer();
    HttpResponse<String> r = http.post("/proxies",
        "{\"name\":\"h\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"" + echo.address() + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
  }

  @AfterAll
  static void stop() throws IOException {
    daemon.close();
    echo.close();
  }

  static void assertBad(String body, String message) {
    HttpResponse<String> r = http.post("/proxies/h/toxics", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(r.body()).isEqualTo("{\"error\":\"" + message + "\",\"status\":400}\n");
  }

  @Test
  void typesListTheHttpToxicsWithStringAttributes() {
    assertThat(http.get("/api/toxic-types").body())
        .contains("{\"name\":\"http_error\",\"attributes\":[{\"name\":\"status\",\"type\":"
            + "\"integer\",\"default\":503},"
            + "{\"name\":\"body\",\"type\":\"string\",\"default\":\"\"},"
            + "{\"name\":\"rate\",\"type\":\"number\",\"default\":1},"
            + "{\"name\":\"method\",\"type\":\"string\",\"default\":\"\"},"
            + "{\"name\":\"path\",\"type\":\"string\",\"default\":\"\"}],\"protocols\":[\"tcp\"]}")
        .contains("{\"name\":\"http_drop\",")
        .contains("{\"name\":\"http_delay\",\"attributes\":[{\"name\":\"delay\"")
        .contains("{\"name\":\"http_abort\",\"attributes\":[{\"name\":\"after_bytes\"");
  }

  @Test
  void addsAndUpdatesStringAttributes() {
    HttpResponse<String> r = http.post("/proxies/h/toxics",
        "{\"name\":\"e\",\"type\":\"http_error\",\"stream\":\"upstream\","
            + "\"attributes\":{\"status\":500,\"body\":\"sorry\",\"path\":\"/api/*\"}}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"attributes\":{\"status\":500,\"body\":\"sorry\",\"rate\":1,"
        + "\"method\":\"\",\"path\":\"/api/*\"},\"name\":\"e\",\"type\":\"http_error\","
        + "\"stream\":\"upstream\",\"toxicity\":1}");
    HttpResponse<String> u = http.patch("/proxies/h/toxics/e",
        "{\"attributes\":{\"method\":\"POST\",\"rate\":0.5}}");
    assertThat(u.body()).contains("\"rate\":0.5,\"method\":\"POST\",\"path\":\"/api/*\"");
    assertThat(http.delete("/proxies/h/toxics/e").statusCode()).isEqualTo(204);
  }

  @Test
  void badAttributesAre400WithOneLine() {
    assertBad("{\"type\":\"http_error\",\"attributes\":{\"status\":99}}",
        "http_error: status must be between 200 and 599 (got 99)");
    assertBad("{\"type\":\"http_error\",\"attributes\":{\"rate\":2}}",
        "http_error: rate must be between 0.0 and 1.0 (got 2.0)");
    assertBad("{\"type\":\"http_drop\",\"attributes\":{\"path\":7}}",
        "http_drop: path must be a string");
    assertBad("{\"type\":\"http_drop\",\"attributes\":{\"paht\":\"/x\"}}",
        "unknown attribute 'paht' for toxic type http_drop (expected: rate, method, path)");
    assertThat(http.get("/proxies/h/toxics").body()).isEqualTo("[]");
  }
}
