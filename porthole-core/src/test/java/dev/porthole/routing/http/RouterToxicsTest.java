package dev.porthole.routing.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.porthole.proxy.ConnectionListener;
import dev.porthole.proxy.Direction;
import dev.porthole.proxy.ProxyOptions;
import dev.porthole.proxy.RunningProxy;
import dev.porthole.proxy.ToxicSpec;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A route whose upstream is a porthole proxy: the proxy's toxics act on routed traffic, and the
 * client sees what they do (a slower answer, a 502 that says the upstream cut the connection).
 */
@Timeout(60)
class RouterToxicsTest {
  @TempDir Path dir;
  RouterFixture f;
  HttpServer api;
  RunningProxy proxy;
  HttpClient client;

  @BeforeEach
  void start() throws Exception {
    f = new RouterFixture(dir);
    api = Upstreams.echo("api");
    proxy =
        f.engine.start(
            ProxyOptions.tcp(
                "api",
                new InetSocketAddress("127.0.0.1", 0),
                "127.0.0.1:" + api.getAddress().getPort()),
            ConnectionListener.NONE,
            List.of());
    f.route("api.localhost", "127.0.0.1:" + proxy.localAddress().getPort());
    client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  @AfterEach
  void stop() {
    client.close();
    proxy.close();
    api.stop(0);
    f.close();
  }

  private HttpResponse<String> get(String accept) throws Exception {
    URI uri = URI.create("http://api.localhost:" + f.router.httpPort() + "/t");
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20));
    if (accept != null) {
      b.header("Accept", accept);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void latencyOnTheProxyDelaysEveryRoutedAnswerAtLeastThatMuch() throws Exception {
    proxy.toxics(
        List.of(
            ToxicSpec.of(
                "slow", "latency", Direction.DOWNSTREAM, Map.of("latency", 400L, "jitter", 0L))));
    for (int i = 0; i < 3; i++) { // the first opens the upstream connection, the rest reuse it
      long t0 = System.nanoTime();
      HttpResponse<String> r = get(null);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("who=api", "path=/t");
      assertThat(ms).as("request %d took %d ms", i, ms).isGreaterThanOrEqualTo(400);
    }
  }

  @Test
  void resetPeerOnTheProxyGives502AndRemovingItHeals() throws Exception {
    proxy.toxics(
        List.of(ToxicSpec.of("cut", "reset_peer", Direction.UPSTREAM, Map.of("timeout", 0L))));
    HttpResponse<String> json = get("application/json");
    assertThat(json.statusCode()).isEqualTo(502);
    assertThat(json.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(json.body())
        .contains("\"route\":\"api.localhost\"")
        .contains("\"upstream\":\"127.0.0.1:" + proxy.localAddress().getPort() + "\"")
        .contains("\"diagnosis\":");
    HttpResponse<String> page = get("text/html");
    assertThat(page.statusCode()).isEqualTo(502);
    assertThat(page.body()).contains("<h1>api.localhost: upstream 127.0.0.1:", "did not answer");

    proxy.toxics(List.of());
    HttpResponse<String> healed = get(null);
    assertThat(healed.statusCode()).isEqualTo(200);
    assertThat(healed.body()).contains("who=api");
  }
}
