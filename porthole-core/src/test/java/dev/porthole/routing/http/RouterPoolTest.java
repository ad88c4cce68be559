package dev.porthole.routing.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router's upstream pool, counted on a real upstream: each distinct client port the upstream
 * sees is one connection the router opened.
 */
@Timeout(90)
class RouterPoolTest {
  @TempDir Path dir;
  RouterFixture f;
  HttpServer api;
  final Set<Integer> upstreamConnections = ConcurrentHashMap.newKeySet();
  final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    f = new RouterFixture(dir);
    api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    api.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    api.createContext(
        "/",
        ex -> {
          upstreamConnections.add(ex.getRemoteAddress().getPort());
          requests.incrementAndGet();
          byte[] body = ("path=" + ex.getRequestURI() + "\n").getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    api.start();
    f.route("api.localhost", "127.0.0.1:" + api.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    api.stop(0);
    f.close();
  }

  private String resolve(int port) {
    return "api.localhost:" + port + ":127.0.0.1";
  }

  @Test
  void http2StreamsOneAfterAnotherShareOneUpstreamConnection() throws Exception {
    int port = f.router.httpsPort();
    RouterFixture.Result r =
        RouterFixture.curl(
            "--http2",
            "--cacert",
            f.ca.certificateFile().toString(),
            "--resolve",
            resolve(port),
            "-o",
            "/dev/null",
            "-w",
            "%{http_version} %{response_code}\\n",
            "https://api.localhost:" + port + "/[1-30]");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output().lines()).hasSize(30).allMatch(l -> l.equals("2 200"));
    assertThat(requests.get()).isEqualTo(30);
    assertThat(upstreamConnections).hasSize(1);
  }

  @Test
  void concurrentHttp2StreamsNeverOpenMoreUpstreamConnectionsThanAreInFlight() throws Exception {
    HttpClient client =
        HttpClient.newBuilder()
            .sslContext(f.trustingCa())
            .version(HttpClient.Version.HTTP_2)
            .connectTimeout(Duration.ofSeconds(20))
            .build();
    URI uri = URI.create("https://api.localhost:" + f.router.httpsPort() + "/wave");
    // One request first: 40 at once on a new client would race to open 40 TLS connections.
    wave(client, uri, 1);
    for (int i = 0; i < 4; i++) {
      wave(client, uri, 40);
    }
    client.close();
    assertThat(requests.get()).isEqualTo(161);
    // Never more upstream connections than streams in flight at once (40), over 161 streams: a
    // later wave may need one more than the first (whose first answers freed connections early).
    assertThat(upstreamConnections).hasSizeBetween(1, 40);
  }

  private static void wave(HttpClient client, URI uri, int n) {
    List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(
          client.sendAsync(
              HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()));
    }
    for (CompletableFuture<HttpResponse<String>> r : all) {
      HttpResponse<String> resp = r.join();
      assertThat(resp.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(resp.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void keepAliveRequestsShareOneUpstreamConnection() throws Exception {
    int port = f.router.httpPort();
    RouterFixture.Result r =
        RouterFixture.curl(
            "--resolve",
            resolve(port),
            "-o",
            "/dev/null",
            "-w",
            "%{num_connects} %{response_code}\\n",
            "http://api.localhost:" + port + "/[1-20]");
    assertThat(r.exitCode()).as(r.output()).isZero();
    // curl itself connected once, so the router saw one client connection too.
    assertThat(r.output().lines()).hasSize(20).first().isEqualTo("1 200");
    assertThat(upstreamConnections).hasSize(1);
    assertThat(requests.get()).isEqualTo(20);
  }

  @Test
  void aKeptConnectionTheUpstreamClosesAsTheRequestGoesIsRetriedOnANewOne() throws Exception {
    try (OneAnswerUpstream once = new OneAnswerUpstream()) {
      f.route("once.localhost", "127.0.0.1:" + once.port());
      int port = f.router.httpPort();
      RouterFixture.Result r =
          RouterFixture.curl(
              "--resolve",
              "once.localhost:" + port + ":127.0.0.1",
              "-w",
              " %{response_code}\\n",
              "http://once.localhost:" + port + "/a",
              "http://once.localhost:" + port + "/b");
      assertThat(r.exitCode()).as(r.output()).isZero();
      assertThat(r.output().lines()).containsExactly("ok /a 200", "ok /b 200");
      assertThat(once.accepted.get()).isEqualTo(2);
    }
  }

  @Test
  void anHttp2StreamOnAKeptConnectionTheUpstreamClosesIsRetriedToo() throws Exception {
    try (OneAnswerUpstream once = new OneAnswerUpstream()) {
      f.route("once.localhost", "127.0.0.1:" + once.port());
      int port = f.router.httpsPort();
      RouterFixture.Result r =
          RouterFixture.curl(
              "--http2",
              "--cacert",
              f.ca.certificateFile().toString(),
              "--resolve",
              "once.localhost:" + port + ":127.0.0.1",
              "-w",
              " %{http_version} %{response_code}\\n",
              "https://once.localhost:" + port + "/a",
              "https://once.localhost:" + port + "/b");
      assertThat(r.exitCode()).as(r.output()).isZero();
      assertThat(r.output().lines()).containsExactly("ok /a 2 200", "ok /b 2 200");
      assertThat(once.accepted.get()).isEqualTo(2);
    }
  }

  /**
   * An upstream that answers the first request of each connection, keep-alive, and closes without
   * answering when a second arrives: the race of an upstream's idle timeout, made certain.
   */
  static final class OneAnswerUpstream implements AutoCloseable {
    final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    final AtomicInteger accepted = new AtomicInteger();

    OneAnswerUpstream() throws IOException {
      Thread.ofVirtual().start(this::serve);
    }

    int port() {
      return server.getLocalPort();
    }

    private void serve() {
      while (!server.isClosed()) {
        try {
          Socket c = server.accept();
          accepted.incrementAndGet();
          Thread.ofVirtual().start(() -> answerOnce(c));
        } catch (IOException e) {
          return;
        }
      }
    }

    private static void answerOnce(Socket c) {
      try (c) {
        InputStream in = c.getInputStream();
        String head = head(in);
        String path = head.split(" ")[1];
        byte[] body = ("ok " + path).getBytes(StandardCharsets.US_ASCII);
        String answer = "HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n";
        c.getOutputStream().write(answer.getBytes(StandardCharsets.US_ASCII));
        c.getOutputStream().write(body);
        head(in); // the second request: close without a word
      } catch (IOException | RuntimeException e) {
        // the router went away: nothing to answer
      }
    }

    private static String head(InputStream in) throws IOException {
      StringBuilder sb = new StringBuilder();
      int b;
      while ((b = in.read()) >= 0) {
        sb.append((char) b);
        if (sb.length() >= 4 && sb.substring(sb.length() - 4).equals("\r\n\r\n")) {
          return sb.toString();
        }
      }
      throw new IOException("closed before a request head");
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
