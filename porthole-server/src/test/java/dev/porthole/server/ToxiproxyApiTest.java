package dev.porthole.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.porthole.testsupport.EchoServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Conformance with reference/toxiproxy-api.md: routes, statuses, headers, bodies, error order. */
@Timeout(60)
class ToxiproxyApiTest {
  @TempDir static Path dataDir;
  static Daemon daemon;
  static Http http;
  static EchoServer echo;

  @BeforeAll
  static void start() throws IOException {
    daemon = Daemon.start(DaemonConfig.local(0, dataDir));
    http = new Http(daemon.url());
    echo = new EchoServer();
  }

  @AfterAll
  static void stop() throws IOException {
    daemon.close();
    echo.close();
  }

  @BeforeEach
  void noProxies() {
    daemon.services().proxies().list().forEach(p -> daemon.services().proxies().delete(p.name()));
  }

  private static String create(String name, String listen) {
    HttpResponse<String> r =
        http.post(
            "/proxies",
            "{\"name\":\""
                + name
                + "\",\"listen\":\""
                + listen
                + "\",\"upstream\":\""
                + echo.address()
                + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return listenOf(r.body());
  }

  private static String listenOf(String proxyJson) {
    return proxyJson.replaceAll(".*\"listen\":\"([^\"]*)\".*", "$1");
  }

  private static void assertError(HttpResponse<String> r, int status, String message) {
    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(r.body()).isEqualTo("{\"error\":\"" + message + "\",\"status\":" + status + "}\n");
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain;charset=utf-8");
    assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(r.headers().firstValue("X-Toxiproxy-Request-Id")).isPresent();
  }

  @Test
  void apiStatusReportsPortholesOwnVersionCommitAndRuntime() {
    HttpResponse<String> r = http.get("/api/status");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .contains("\"version\":\"" + dev.porthole.build.BuildInfo.current().version() + "\"")
        .containsPattern("\"commit\":\"[0-9a-f]{7,40}(-dirty)?\"")
        .contains("\"runtime\":\"" + System.getProperty("java.vendor"));
    assertThat(dev.porthole.build.BuildInfo.current().version()).doesNotContain("$").isNotEmpty();
  }

  @Test
  void versionIsTheToxiproxyVersionWithItsOddFormatting() {
    HttpResponse<String> r = http.get("/version");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"version\": \"2.12.0\"}\n");
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json;charset=utf-8");
    assertThat(r.headers().firstValue("X-Toxiproxy-Request-Id"))
        .get()
        .asString()
        .matches("[0-9a-v]{20}");
  }

  @Test
  void emptyListIsAnEmptyObject() {
    HttpResponse<String> r = http.get("/proxies");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{}");
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
  }

  @Test
  void createResolvesListenAndAnswers201WithTheProxy() throws IOException {
    HttpResponse<String> r =
        http.post(
            "/proxies",
            "{\"name\":\"echo\",\"listen\":\"localhost:0\",\"upstream\":\""
                + echo.address()
                + "\",\"toxics\":[{\"type\":\"latency\"}],\"x\":1}");
    assertThat(r.statusCode()).isEqualTo(201);
    String listen = listenOf(r.body());
    assertThat(listen).matches("127\\.0\\.0\\.1:\\d+").isNotEqualTo("127.0.0.1:0");
    assertThat(r.body())
        .isEqualTo(
            "{\"name\":\"echo\",\"listen\":\""
                + listen
                + "\",\"upstream\":\""
                + echo.address()
                + "\",\"enabled\":true,\"Logger\":{},\"toxics\":[]}");
    assertThat(EchoServer.roundTrip(listen, "hello")).isEqualTo("hello");
    assertThat(http.get("/proxies").body()).isEqualTo("{\"echo\":" + r.body() + "}");
    assertThat(http.get("/proxies/echo").body()).isEqualTo(r.body());
  }

  @Test
  void aDisabledProxyKeepsListenAsGivenUntilItListens() {
    HttpResponse<String> r =
        http.post(
            "/proxies",
            "{\"name\":\"d\",\"listen\":\"localhost:0\",\"upstream\":\"x:1\",\"enabled\":false}");
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.body()).contains("\"listen\":\"localhost:0\"", "\"enabled\":false");
    HttpResponse<String> on = http.post("/proxies/d", "{\"enabled\":true}");
    assertThat(on.statusCode()).isEqualTo(200);
    assertThat(listenOf(on.body())).matches("127\\.0\\.0\\.1:\\d+");
  }

  @Test
  void createErrorsComeInToxiproxysOrderAndCreateNothing() throws IOException {
    assertError(http.post("/proxies", ""), 400, "bad request body: EOF");
    assertError(http.post("/proxies", "{\"name\":\"a\""), 400, "bad request body: unexpected EOF");
    assertError(
        http.post("/proxies", "{\"name\":7}"),
        400,
        "bad request body: json: cannot unmarshal number into Go struct field Proxy.name of type"
            + " string");
    assertError(
        http.post("/proxies", "{\"upstream\":\"x:1\"}"), 400, "missing required field: name");
    assertError(http.post("/proxies", "{\"name\":\"a\"}"), 400, "missing required field: upstream");
    create("taken", "127.0.0.1:0");
    // the name is checked before the listen address
    assertError(
        http.post("/proxies", "{\"name\":\"taken\",\"listen\":\"nonsense\",\"upstream\":\"x:1\"}"),
        409,
        "proxy already exists");
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String addr = "127.0.0.1:" + busy.getLocalPort();
      assertError(
          http.post(
              "/proxies", "{\"name\":\"b\",\"listen\":\"" + addr + "\",\"upstream\":\"x:1\"}"),
          409, // Toxiproxy 2.12.0: 500
          "listen tcp " + addr + ": bind: address already in use");
    }
    assertError(
        http.post("/proxies", "{\"name\":\"c\",\"listen\":\"0.0.0.0:0\",\"upstream\":\"x:1\"}"),
        400,
        "listen tcp 0.0.0.0:0: not a loopback address (start the daemon with --allow-remote to"
            + " listen beyond loopback)");
    assertError(
        http.post("/proxies", "{\"name\":\"a/b\",\"upstream\":\"x:1\"}"),
        400,
        "name 'a/b': must not contain '/' or '\\\\'");
    assertError(
        http.post(
            "/proxies", "{\"name\":\"e\",\"listen\":\"127.0.0.1:99999\",\"upstream\":\"x:1\"}"),
        400, // Toxiproxy 2.12.0: 500
        "listen tcp: address 99999: invalid port");
    assertError(
        http.post("/proxies", "{\"name\":\"e\",\"listen\":\"local373\",\"upstream\":\"x:1\"}"),
        400,
        "listen tcp: address local373: missing port in address");
    assertError(
        http.post("/proxies", "{\"name\":\"e\",\"upstream\":\"nohost\"}"),
        400,
        "upstream: expected host:port (got nohost)");
    assertThat(http.get("/proxies").body())
        .startsWith("{\"taken\":")
        .doesNotContain("\"b\"", "\"c\"", "\"e\"");
  }

  @Test
  void routerRepliesLikeGo() {
    HttpResponse<String> missing = http.get("/nothing");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).isEqualTo("404 page not found\n");
    assertThat(missing.headers().firstValue("X-Toxiproxy-Request-Id")).isEmpty();
    assertThat(http.get("/proxies/").statusCode()).isEqualTo(404);
    assertThat(http.get("/proxies?x=1").statusCode()).isEqualTo(200);
    for (String method : new String[] {"PUT", "HEAD", "OPTIONS"}) {
      HttpResponse<String> r = http.send(method, "/proxies", null);
      assertThat(r.statusCode()).as(method).isEqualTo(405);
      assertThat(r.body()).isEmpty();
      assertThat(r.headers().firstValue("Content-Type")).isEmpty();
      assertThat(r.headers().firstValue("X-Toxiproxy-Request-Id")).isEmpty();
    }
    assertThat(http.get("/reset").statusCode()).isEqualTo(405);
    assertThat(http.get("/populate").statusCode()).isEqualTo(405);
  }

  @Test
  void browsersAreRefusedEvenForVersion() {
    HttpResponse<String> r = http.send("GET", "/version", null, "User-Agent", "Mozilla/5.0 (X11)");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).isEqualTo("User agent not allowed\n");
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain;charset=utf-8");
  }

  @Test
  void updateMergesFieldsAndEnablesOrDisables() throws IOException {
    String listen = create("u", "127.0.0.1:0");
    HttpResponse<String> same = http.post("/proxies/u", "{}");
    assertThat(same.statusCode()).isEqualTo(200);
    assertThat(listenOf(same.body())).isEqualTo(listen);
    HttpResponse<String> off = http.patch("/proxies/u", "{\"enabled\":false,\"name\":\"ignored\"}");
    assertThat(off.body()).contains("\"name\":\"u\"", "\"enabled\":false", listen);
    assertThatThrownBy(() -> EchoServer.roundTrip(listen, "x"))
        .isInstanceOf(ConnectException.class);
    HttpResponse<String> on = http.post("/proxies/u", "{\"enabled\":true}");
    assertThat(on.body()).contains("\"enabled\":true", "\"listen\":\"" + listen + "\"");
    assertThat(EchoServer.roundTrip(listen, "back")).isEqualTo("back");
    HttpResponse<String> moved = http.post("/proxies/u", "{\"upstream\":\"127.0.0.1:1\"}");
    assertThat(moved.body()).contains("\"upstream\":\"127.0.0.1:1\"", "\"enabled\":true");
    assertError(http.post("/proxies/u", ""), 400, "bad request body: EOF");
    assertError(http.post("/proxies/nope", ""), 404, "proxy not found");
    assertError(
        http.post("/proxies/u", "{\"enabled\":\"yes\"}"),
        400,
        "bad request body: json: cannot unmarshal string into Go struct field Proxy.enabled of type"
            + " bool");
  }

  @Test
  void disablingOrMovingAProxyClosesItsLiveConnections() throws IOException {
    for (String change : new String[] {"{\"enabled\":false}", "{\"upstream\":\"127.0.0.1:2\"}"}) {
      http.delete("/proxies/live");
      String listen = create("live", "127.0.0.1:0");
      int port = Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
      try (java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
        s.setSoTimeout(5000);
        s.getOutputStream().write('x');
        assertThat(s.getInputStream().read()).isEqualTo('x');
        assertThat(http.post("/proxies/live", change).statusCode()).isEqualTo(200);
        assertThat(s.getInputStream().read()).as(change).isEqualTo(-1);
      }
    }
  }

  @Test
  void aFailedUpdateChangesNothing() throws IOException {
    String listen = create("f", "127.0.0.1:0");
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String addr = "127.0.0.1:" + busy.getLocalPort();
      assertError(
          http.post("/proxies/f", "{\"listen\":\"" + addr + "\"}"),
          409, // Toxiproxy 2.12.0: 500
          "listen tcp " + addr + ": bind: address already in use");
    }
    assertThat(http.get("/proxies/f").body())
        .contains("\"listen\":\"" + listen + "\"", "\"enabled\":true");
    assertThat(EchoServer.roundTrip(listen, "still")).isEqualTo("still");
  }

  @Test
  void toxicsSurviveDisableEnableAndActOnTheTraffic() throws IOException {
    String listen = create("lag", "127.0.0.1:0");
    http.post("/proxies/lag/toxics", "{\"type\":\"latency\",\"attributes\":{\"latency\":300}}");
    http.post("/proxies/lag", "{\"enabled\":false}");
    http.post("/proxies/lag", "{\"enabled\":true}");
    assertThat(http.get("/proxies/lag/toxics").body()).contains("\"latency\":300");
    long start = System.nanoTime();
    assertThat(EchoServer.roundTrip(listen, "slow")).isEqualTo("slow");
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertThat(ms).isBetween(290L, 3000L);
    assertThat(http.delete("/proxies/lag/toxics/latency_downstream").statusCode()).isEqualTo(204);
    assertThat(EchoServer.roundTrip(listen, "fast")).isEqualTo("fast");
  }

  @Test
  void deleteAnswers204ThenNotFound() {
    create("gone", "127.0.0.1:0");
    HttpResponse<String> r = http.delete("/proxies/gone");
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.body()).isEmpty();
    assertThat(r.headers().firstValue("Content-Type")).isEmpty();
    assertError(http.delete("/proxies/gone"), 404, "proxy not found");
    assertError(http.get("/proxies/gone"), 404, "proxy not found");
    assertError(http.get("/proxies/gone/toxics"), 404, "proxy not found");
  }

  @Test
  void toxicsAreAddedWithDefaultsAndListedUpstreamFirst() {
    create("t", "127.0.0.1:0");
    HttpResponse<String> down =
        http.post("/proxies/t/toxics", "{\"type\":\"latency\",\"attributes\":{\"latency\":200}}");
    assertThat(down.statusCode()).isEqualTo(200);
    assertThat(down.body())
        .isEqualTo(
            "{\"attributes\":{\"latency\":200,\"jitter\":0},\"name\":\"latency_downstream\","
                + "\"type\":\"latency\",\"stream\":\"downstream\",\"toxicity\":1}");
    HttpResponse<String> up =
        http.post(
            "/proxies/t/toxics",
            // Toxiproxy ignores unknown attributes; porthole refuses them (refusesWhatToxiproxy…).
            "{\"type\":\"bandwidth\",\"stream\":\"UPSTREAM\",\"toxicity\":0.25,"
                + "\"attributes\":{\"rate\":100}}");
    assertThat(up.body())
        .isEqualTo(
            "{\"attributes\":{\"rate\":100},\"name\":\"bandwidth_UPSTREAM\",\"type\":\"bandwidth\","
                + "\"stream\":\"UPSTREAM\",\"toxicity\":0.25}");
    assertThat(http.get("/proxies/t/toxics").body())
        .isEqualTo("[" + up.body() + "," + down.body() + "]");
    assertThat(http.get("/proxies/t").body())
        .contains("\"toxics\":[" + up.body() + "," + down.body() + "]");
    assertThat(http.get("/proxies/t/toxics/latency_downstream").body()).isEqualTo(down.body());
    assertThat(
            http.post("/proxies/t/toxics", "{\"type\":\"noop\",\"name\":\"n\",\"toxicity\":0}")
                .body())
        .isEqualTo(
            "{\"attributes\":{},\"name\":\"n\",\"type\":\"noop\",\"stream\":\"downstream\",\"toxicity\":0}");
  }

  @Test
  void toxicErrorsComeInToxiproxysOrder() {
    create("o", "127.0.0.1:0");
    http.post("/proxies/o/toxics", "{\"type\":\"latency\",\"name\":\"l\",\"stream\":\"upstream\"}");
    assertError(http.post("/proxies/none/toxics", "nonsense"), 404, "proxy not found");
    assertError(http.post("/proxies/o/toxics", ""), 400, "bad request body: EOF");
    assertError(
        http.post("/proxies/o/toxics", "{\"type\":\"latency\",\"toxicity\":\"x\"}"),
        400,
        "bad request body: json: cannot unmarshal string into Go struct field ToxicWrapper.toxicity"
            + " of type float32");
    assertError(
        http.post("/proxies/o/toxics", "{\"type\":\"noop\",\"toxicity\":1e40}"),
        400,
        "bad request body: json: cannot unmarshal number 1.0E40 into Go struct field"
            + " ToxicWrapper.toxicity of type float32");
    assertError(
        http.post("/proxies/o/toxics", "{\"type\":\"nope\",\"stream\":\"sideways\"}"),
        400,
        "stream was invalid, can be either upstream or downstream");
    assertError(http.post("/proxies/o/toxics", "{\"type\":\"nope\"}"), 400, "invalid toxic type");
    assertError(
        http.post("/proxies/o/toxics", "{\"stream\":\"up\"}"),
        400,
        "stream was invalid, can be either upstream or downstream");
    // names are unique across both directions
    assertError(
        http.post(
            "/proxies/o/toxics",
            "{\"type\":\"latency\",\"name\":\"l\",\"attributes\":{\"latency\":\"x\"}}"),
        409,
        "toxic already exists");
    assertError(
        http.post(
            "/proxies/o/toxics", "{\"type\":\"latency\",\"attributes\":{\"latency\":\"100\"}}"),
        400,
        "bad request body: json: cannot unmarshal string into Go struct field"
            + " LatencyToxic.attributes.latency of type int64");
    assertError(
        http.post("/proxies/o/toxics", "{\"type\":\"latency\",\"attributes\":{\"latency\":1e3}}"),
        400,
        "bad request body: json: cannot unmarshal number 1000.0 into Go struct field"
            + " LatencyToxic.attributes.latency of type int64");
    HttpResponse<String> negative =
        http.post("/proxies/o/toxics", "{\"type\":\"latency\",\"attributes\":{\"latency\":-5}}");
    assertThat(negative.statusCode()).isEqualTo(400);
    assertThat(negative.body()).contains("latency");
    HttpResponse<String> slicer = http.post("/proxies/o/toxics", "{\"type\":\"slicer\"}");
    assertThat(slicer.statusCode()).isEqualTo(400);
    assertThat(slicer.body()).contains("average_size");
    assertError(
        http.post("/proxies/o/toxics", "{\"type\":\"latency\",\"name\":\"a/b\"}"),
        400,
        "toxic name 'a/b': must not contain '/' or '\\\\'");
    assertThat(http.get("/proxies/o/toxics").body())
        .startsWith("[{")
        .doesNotContain("latency_downstream", "slicer");
    assertError(http.get("/proxies/o/toxics/none"), 404, "toxic not found");
    assertError(http.get("/proxies/none/toxics/l"), 404, "proxy not found");
  }

  @Test
  void toxicUpdatesMergeAttributesAndKeepToxicity() {
    create("m", "127.0.0.1:0");
    http.post(
        "/proxies/m/toxics",
        "{\"type\":\"latency\",\"toxicity\":0.5,\"attributes\":{\"latency\":100,\"jitter\":10}}");
    HttpResponse<String> jitter =
        http.post(
            "/proxies/m/toxics/latency_downstream",
            "{\"attributes\":{\"jitter\":7},\"type\":\"ignored\",\"stream\":\"upstream\"}");
    assertThat(jitter.statusCode()).isEqualTo(200);
    assertThat(jitter.body())
        .isEqualTo(
            "{\"attributes\":{\"latency\":100,\"jitter\":7},\"name\":\"latency_downstream\","
                + "\"type\":\"latency\",\"stream\":\"downstream\",\"toxicity\":0.5}");
    HttpResponse<String> toxicity =
        http.patch("/proxies/m/toxics/latency_downstream", "{\"toxicity\":0.25}");
    assertThat(toxicity.body()).contains("\"latency\":100,\"jitter\":7", "\"toxicity\":0.25");
    assertError(
        http.post("/proxies/m/toxics/latency_downstream", ""), 400, "bad request body: EOF");
    assertError(http.post("/proxies/m/toxics/none", "{}"), 404, "toxic not found");
    HttpResponse<String> bad =
        http.post("/proxies/m/toxics/latency_downstream", "{\"attributes\":{\"latency\":-1}}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(http.get("/proxies/m/toxics/latency_downstream").body()).contains("\"latency\":100");
    assertThat(http.delete("/proxies/m/toxics/latency_downstream").statusCode()).isEqualTo(204);
    assertError(http.delete("/proxies/m/toxics/latency_downstream"), 404, "toxic not found");
  }

  @Test
  void populateCreatesKeepsUnchangedAndReplacesChanged() {
    String body =
        "[{\"name\":\"p1\",\"listen\":\"127.0.0.1:0\",\"upstream\":\""
            + echo.address()
            + "\"},{\"name\":\"p2\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"x:1\",\"enabled\":false}]";
    HttpResponse<String> r = http.post("/populate", body);
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(r.body()).startsWith("{\"proxies\":[{\"name\":\"p1\"").contains("\"name\":\"p2\"");
    String p1 = listenOf(http.get("/proxies/p1").body());
    http.post("/proxies/p1/toxics", "{\"type\":\"latency\"}");
    String again =
        "[{\"name\":\"p1\",\"listen\":\""
            + p1.replace("127.0.0.1", "localhost")
            + "\",\"upstream\":\""
            + echo.address()
            + "\",\"enabled\":false}]";
    HttpResponse<String> kept = http.post("/populate", again);
    assertThat(kept.body()).contains("\"enabled\":true", "latency_downstream");
    HttpResponse<String> replaced =
        http.post(
            "/populate",
            "[{\"name\":\"p1\",\"listen\":\"" + p1 + "\",\"upstream\":\"127.0.0.1:2\"}]");
    assertThat(replaced.statusCode()).isEqualTo(201);
    assertThat(replaced.body()).contains("\"upstream\":\"127.0.0.1:2\"", "\"toxics\":[]");
    assertThat(http.post("/populate", "[]").body()).isEqualTo("{\"proxies\":[]}");
  }

  @Test
  void populateChecksEveryEntryFirstThenStopsAtTheFirstFailure() throws IOException {
    HttpResponse<String> invalid =
        http.post("/populate", "[{\"name\":\"v1\",\"upstream\":\"x:1\"},{\"upstream\":\"x:1\"}]");
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(invalid.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(invalid.body())
        .isEqualTo(
            "{\"error\":\"missing required field: name at proxy"
                + " 2\",\"status\":400,\"proxies\":null}");
    assertThat(http.get("/proxies").body()).isEqualTo("{}");
    assertThat(http.post("/populate", "{}").statusCode()).isEqualTo(400);
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String addr = "127.0.0.1:" + busy.getLocalPort();
      HttpResponse<String> r =
          http.post(
              "/populate",
              "[{\"name\":\"ok\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"x:1\"},"
                  + "{\"name\":\"bad\",\"listen\":\""
                  + addr
                  + "\",\"upstream\":\"x:1\"},"
                  + "{\"name\":\"never\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"x:1\"}]");
      assertThat(r.statusCode()).isEqualTo(409); // Toxiproxy 2.12.0 answers 500
      assertThat(r.body())
          .startsWith(
              "{\"error\":\"listen tcp "
                  + addr
                  + ": bind: address already in"
                  + " use\",\"status\":409,\"proxies\":[{\"name\":\"ok\"");
    }
    assertThat(http.get("/proxies").body())
        .contains("\"ok\"")
        .doesNotContain("\"bad\"", "\"never\"");
  }

  @Test
  void resetEnablesEveryProxyAndRemovesEveryToxic() throws IOException {
    String listen = create("r", "127.0.0.1:0");
    http.post("/proxies/r/toxics", "{\"type\":\"latency\"}");
    http.post("/proxies/r", "{\"enabled\":false}");
    HttpResponse<String> r = http.post("/reset", "");
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.body()).isEmpty();
    assertThat(http.get("/proxies/r").body()).contains("\"enabled\":true", "\"toxics\":[]", listen);
    assertThat(EchoServer.roundTrip(listen, "reset")).isEqualTo("reset");
  }

  @Test
  void udpProxiesCarryAProtocolFieldAndTcpOnesDoNot() {
    HttpResponse<String> r =
        http.post(
            "/proxies",
            "{\"name\":\"dns\",\"protocol\":\"udp\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"127.0.0.1:53\",\"enabled\":false}");
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.body())
        .isEqualTo(
            "{\"name\":\"dns\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"127.0.0.1:53\",\"enabled\":false,"
                + "\"protocol\":\"udp\",\"Logger\":{},\"toxics\":[]}");
    assertError(
        http.post("/proxies", "{\"name\":\"x\",\"protocol\":\"sctp\",\"upstream\":\"x:1\"}"),
        400,
        "protocol sctp: expected tcp or udp");
  }

  @Test
  void ownApiShowsProtocolAndCounters() throws IOException {
    // Not on 127.0.0.1: a process scanning its ports would add a connection to the count.
    String listen = create("s", "127.0.0.2:0");
    assertThat(EchoServer.roundTrip(listen, "12345")).isEqualTo("12345");
    HttpResponse<String> r = http.get("/api/proxies");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .startsWith("[{\"name\":\"s\",\"protocol\":\"tcp\",\"listen\":\"" + listen + "\"");
    assertThat(r.body()).contains("\"connectionsTotal\":1");
    HttpResponse<String> missing = http.get("/api/proxies/none");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).isEqualTo("{\"error\":\"proxy not found\",\"status\":404}");
    assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(http.get("/api/toxic-types").body())
        .contains(
            "{\"name\":\"latency\",\"attributes\":[{\"name\":\"latency\",\"type\":\"integer\",\"default\":0}");
    assertThat(http.send("GET", "/api/status", null, "User-Agent", "Mozilla/5.0").statusCode())
        .isEqualTo(200);
  }

  @Test
  void refusesWhatToxiproxyTakesSilently() {
    // Deliberate differences (README, "Toxiproxy compatibility"): Toxiproxy 2.12 takes each of
    // these with 200/201 and then acts on something the client did not mean.
    create("o", "127.0.0.1:0");
    for (String toxicity : new String[] {"2", "7", "-0.1"}) {
      String body = "{\"type\":\"latency\",\"toxicity\":" + toxicity + "}";
      HttpResponse<String> r = http.post("/proxies/o/toxics", body);
      assertError(r, 400, "toxicity: " + toxicity + " (expected: 0 to 1)");
    }
    assertError(
        http.post(
            "/proxies/o/toxics", "{\"type\":\"latency\",\"attributes\":{\"latncy\":300}}"),
        400,
        "unknown attribute 'latncy' for toxic type latency (expected: latency, jitter)");
    assertError(
        http.post("/proxies", "{\"name\":\"   \",\"upstream\":\"x:1\"}"),
        400,
        "name '   ': must not be empty or only white space");
    assertError(
        http.post("/proxies", "{\"name\":\"a\\u202eb\",\"upstream\":\"x:1\"}"),
        400,
        "name 'a\\\\u202eb': must not contain control, bidirectional, zero-width or separator"
            + " characters (U+202E at 1)");
    assertThat(http.get("/proxies/o/toxics").body()).doesNotContain("latency");
  }
}
