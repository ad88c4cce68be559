package dev.porthole.routing.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The router end to end: real curl and Java clients, real upstreams, free ports. */
@Timeout(60)
class RouterTest {
  @TempDir Path dir;
  RouterFixture f;
  HttpServer api;

  @BeforeEach
  void start() throws Exception {
    f = new RouterFixture(dir);
    api = Upstreams.echo("api");
    f.route("api.localhost", "127.0.0.1:" + api.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    api.stop(0);
    f.close();
  }

  private String http(String name) {
    return "http://" + name + ":" + f.router.httpPort();
  }

  private String resolve(String name, int port) {
    return name + ":" + port + ":127.0.0.1";
  }

  @Test
  void curlReachesTheRouteByHostWithForwardedHeaders() throws Exception {
    int port = f.router.httpPort();
    RouterFixture.Result r =
        RouterFixture.curl(
            "--resolve", resolve("api.localhost", port), http("api.localhost") + "/x?y=1");
    assertThat(r.exitCode()).isZero();
    assertThat(r.output())
        .contains("who=api", "path=/x?y=1", "host=api.localhost:" + port)
        .contains("x-forwarded-for=127.0.0.1", "x-forwarded-proto=http")
        .contains("x-forwarded-host=api.localhost:" + port)
        .contains("forwarded=for=127.0.0.1;host=\"api.localhost:" + port + "\";proto=http");
  }

  @Test
  void javaClientKeepsTheConnectionAcrossRequestsAndStreamsBodies() throws Exception {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    byte[] big = new byte[8 * 1024 * 1024];
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(URI.create(http("API.localhost") + "/up"))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(big))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("method=POST", "bytes=" + big.length);
    }
    client.close();
  }

  @Test
  void anUnknownNameGets404WithTheListOfRoutes() throws Exception {
    int port = f.router.httpPort();
    RouterFixture.Result html =
        RouterFixture.curl(
            "-i", "--resolve", resolve("nope.localhost", port), http("nope.localhost") + "/");
    assertThat(html.output())
        .startsWith("HTTP/1.1 404")
        .contains("no route for nope.localhost", "api.localhost</a> → 127.0.0.1:");
    RouterFixture.Result json =
        RouterFixture.curl(
            "-H",
            "Accept: application/json",
            "--resolve",
            resolve("nope.localhost", port),
            http("nope.localhost") + "/");
    assertThat(json.output())
        .startsWith(
            "{\"error\":\"no route for"
                + " nope.localhost\",\"status\":404,\"routes\":[{\"name\":\"api.localhost\"");
  }

  @Test
  void aDownUpstreamGets502WithTheCheckDiagnosis() throws Exception {
    int dead = Upstreams.freePort();
    f.route("down.localhost", "127.0.0.1:" + dead);
    int port = f.router.httpPort();
    RouterFixture.Result json =
        RouterFixture.curl(
            "-i",
            "-H",
            "Accept: application/json",
            "--resolve",
            resolve("down.localhost", port),
            http("down.localhost") + "/");
    assertThat(json.output()).startsWith("HTTP/1.1 502");
    assertThat(json.output())
        .contains("\"upstream\":\"127.0.0.1:" + dead + "\"", "\"code\":\"NOTHING_LISTENS\"");
    RouterFixture.Result html =
        RouterFixture.curl(
            "--resolve", resolve("down.localhost", port), http("down.localhost") + "/");
    assertThat(html.output()).contains("<h1>down.localhost: upstream 127.0.0.1:" + dead, "Fix: ");
  }

  @Test
  void anUpstreamThatResetsGets502() throws Exception {
    try (ServerSocket resetting = Upstreams.resetting()) {
      f.route("reset.localhost", "127.0.0.1:" + resetting.getLocalPort());
      int port = f.router.httpPort();
      RouterFixture.Result r =
          RouterFixture.curl(
              "-i",
              "-H",
              "Accept: application/json",
              "--resolve",
              resolve("reset.localhost", port),
              http("reset.localhost") + "/");
      assertThat(r.output()).startsWith("HTTP/1.1 502").contains("\"route\":\"reset.localhost\"");
    }
  }

  @Test
  void anUpstreamThatIsNotHttpGets502() throws Exception {
    try (ServerSocket ssh = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual()
          .start(
              () -> {
                for (int i = 0; i < 4 && !ssh.isClosed(); i++) {
                  try (java.net.Socket c = ssh.accept()) {
                    c.getOutputStream().write("SSH-2.0-OpenSSH_9.2\r\n".getBytes());
                    c.getInputStream().read(new byte[4096]);
                  } catch (java.io.IOException e) {
                    return;
                  }
                }
              });
      f.route("ssh.localhost", "127.0.0.1:" + ssh.getLocalPort());
      int port = f.router.httpPort();
      RouterFixture.Result r =
          RouterFixture.curl(
              "-i",
              "-H",
              "Accept: application/json",
              "--resolve",
              resolve("ssh.localhost", port),
              http("ssh.localhost") + "/");
      assertThat(r.output()).startsWith("HTTP/1.1 502").contains("\"route\":\"ssh.localhost\"");
    }
  }

  @Test
  void roundRobinSkipsTheUpstreamThatRefused() throws Exception {
    HttpServer b = Upstreams.echo("b");
    try {
      int dead = Upstreams.freePort();
      f.route(
          "rr.localhost",
          "127.0.0.1:" + api.getAddress().getPort(),
          "127.0.0.1:" + dead,
          "127.0.0.1:" + b.getAddress().getPort());
      int port = f.router.httpPort();
      StringBuilder seen = new StringBuilder();
      for (int i = 0; i < 6; i++) {
        String answer =
            RouterFixture.curl(
                    "-i", "--resolve", resolve("rr.localhost", port), http("rr.localhost") + "/")
                .output();
        // the status line, not "502" anywhere: the router's port may hold those digits (45021)
        assertThat(answer).startsWith("HTTP/1.1 200");
        seen.append(answer);
      }
      assertThat(seen.toString()).contains("who=api", "who=b");
      assertThat(
              f.routes
                  .find("rr.localhost")
                  .skipped(dev.porthole.routing.Upstream.parse("127.0.0.1:" + dead)))
          .isTrue();
    } finally {
      b.stop(0);
    }
  }

  @Test
  void curlSpeaksHttp2OverTlsWithTheLocalCa() throws Exception {
    int port = f.router.httpsPort();
    Path ca = f.ca.certificateFile();
    RouterFixture.Result r =
        RouterFixture.curl(
            "-i",
            "--http2",
            "--cacert",
            ca.toString(),
            "--resolve",
            resolve("api.localhost", port),
            "https://api.localhost:" + port + "/h2");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output())
        .startsWith("HTTP/2 200")
        .contains("who=api", "path=/h2", "x-forwarded-proto=https", "host=api.localhost:" + port);
    RouterFixture.Result h1 =
        RouterFixture.curl(
            "-i",
            "--http1.1",
            "--cacert",
            ca.toString(),
            "--resolve",
            resolve("api.localhost", port),
            "https://api.localhost:" + port + "/h1");
    assertThat(h1.output()).startsWith("HTTP/1.1 200").contains("path=/h1");
  }

  @Test
  void javaClientTrustsTheLeafAndNegotiatesHttp2() throws Exception {
    HttpClient client =
        HttpClient.newBuilder()
            .sslContext(f.trustingCa())
            .version(HttpClient.Version.HTTP_2)
            .connectTimeout(Duration.ofSeconds(20)) // includes the handshake; the machine is busy
            .build();
    URI uri = URI.create("https://api.localhost:" + f.router.httpsPort() + "/j");
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r =
          client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(r.body()).contains("who=api", "x-forwarded-proto=https");
    }
    client.close();
    assertThat(f.router.httpsPort()).isNotEqualTo(f.router.httpPort());
  }
}
