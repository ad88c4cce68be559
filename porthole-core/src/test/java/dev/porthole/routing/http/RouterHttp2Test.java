package dev.porthole.routing.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.porthole.routing.Upstream;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 through the router end to end, with real curl and Java clients over TLS: several streams
 * on one connection, large bodies both ways checked byte for byte, a stream the client resets
 * mid-response, and the router's own 404 and 502. Netty's leak detector runs at paranoid for the
 * whole class and every test fails on a buffer the router dropped without releasing.
 */
@Timeout(120)
class RouterHttp2Test {
  private static final List<String> LEAKS = new CopyOnWriteArrayList<>();
  private static ResourceLeakDetector.Level before;

  @TempDir Path dir;
  RouterFixture f;
  HttpServer api;
  HttpServer bulk;
  final CountDownLatch cut = new CountDownLatch(1);

  @BeforeAll
  static void paranoid() {
    before = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    ByteBufUtil.setLeakListener((type, records) -> LEAKS.add(type + records));
  }

  @AfterAll
  static void restore() {
    ByteBufUtil.setLeakListener(null);
    ResourceLeakDetector.setLevel(before);
  }

  @BeforeEach
  void start() throws Exception {
    f = new RouterFixture(dir.resolve("router"));
    api = Upstreams.echo("api");
    bulk = Upstreams.bulk(cut);
    f.route("api.localhost", "127.0.0.1:" + api.getAddress().getPort());
    f.route("bulk.localhost", "127.0.0.1:" + bulk.getAddress().getPort());
  }

  /** Closes everything, then makes the leak detector look at every buffer that became garbage. */
  @AfterEach
  void stopAndCheckForLeaks() throws Exception {
    api.stop(0);
    bulk.stop(0);
    f.close();
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(50);
      for (int j = 0; j < 100; j++) { // each tracked allocation reports what was collected
        PooledByteBufAllocator.DEFAULT.directBuffer(16).release();
        UnpooledByteBufAllocator.DEFAULT.heapBuffer(16).release();
      }
    }
    assertThat(LEAKS).as("buffers never released").isEmpty();
  }

  private String url(String name, String path) {
    return "https://" + name + ":" + f.router.httpsPort() + path;
  }

  private List<String> curl(String name, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.addAll(List.of("--http2", "--cacert", f.ca.certificateFile().toString()));
    cmd.addAll(List.of("--resolve", name + ":" + f.router.httpsPort() + ":127.0.0.1"));
    cmd.addAll(List.of(args));
    RouterFixture.Result r = RouterFixture.curl(cmd.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.output()).isZero();
    return r.output().lines().toList();
  }

  private HttpClient client() throws Exception {
    return HttpClient.newBuilder()
        .sslContext(f.trustingCa())
        .version(HttpClient.Version.HTTP_2)
        .connectTimeout(Duration.ofSeconds(20)) // includes the handshake; the machine is busy
        .build();
  }

  @Test
  void curlMultiplexesEightStreamsOnOneConnection() throws Exception {
    Path out = dir.resolve("out");
    Files.createDirectories(out);
    List<String> lines =
        curl(
            "api.localhost",
            "--no-progress-meter",
            "--parallel",
            "--parallel-max",
            "8",
            "-w",
            "%{http_code} %{http_version} %{num_connects}\\n",
            "-o",
            out + "/s#1",
            url("api.localhost", "/s[0-7]"));
    assertThat(lines).hasSize(8).allMatch(l -> l.startsWith("200 2 "));
    int connects = lines.stream().mapToInt(l -> Integer.parseInt(l.split(" ")[2])).sum();
    assertThat(connects).as("connections opened for 8 transfers").isEqualTo(1);
    for (int i = 0; i < 8; i++) {
      assertThat(Files.readString(out.resolve("s" + i)))
          .contains("who=api", "path=/s" + i, "x-forwarded-proto=https", "method=GET");
    }
  }

  @Test
  void javaClientRunsConcurrentStreamsOnOneConnection() throws Exception {
    try (HttpClient client = client()) {
      URI first = URI.create(url("api.localhost", "/first"));
      HttpResponse<String> r =
          client.send(HttpRequest.newBuilder(first).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
      List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        HttpRequest req =
            HttpRequest.newBuilder(URI.create(url("api.localhost", "/c" + i)))
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(i * 1000)))
                .build();
        inFlight.add(client.sendAsync(req, HttpResponse.BodyHandlers.ofString()));
      }
      for (int i = 0; i < 24; i++) {
        HttpResponse<String> each = inFlight.get(i).get(60, TimeUnit.SECONDS);
        assertThat(each.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(each.statusCode()).isEqualTo(200);
        assertThat(each.body()).contains("path=/c" + i + "\n", "bytes=" + i * 1000 + "\n");
      }
    }
  }

  @Test
  void largeBodiesArriveIntactBothWaysWithCurl() throws Exception {
    byte[] up = new byte[24 * 1024 * 1024 + 7];
    new Random(13).nextBytes(up);
    Path upload = dir.resolve("up.bin");
    Files.write(upload, up);
    List<String> sha =
        curl("bulk.localhost", "--data-binary", "@" + upload, url("bulk.localhost", "/sha256"));
    assertThat(sha).containsExactly(sha256(up) + " " + up.length);

    long n = 32L * 1024 * 1024 + 1;
    Path download = dir.resolve("down.bin");
    curl("bulk.localhost", "-o", download.toString(), url("bulk.localhost", "/bytes/" + n));
    try (InputStream in = Files.newInputStream(download)) {
      assertThat(matchingPattern(in)).isEqualTo(n);
    }
  }

  @Test
  void largeBodiesArriveIntactBothWaysWithJavaClient() throws Exception {
    byte[] up = new byte[16 * 1024 * 1024 + 3];
    new Random(7).nextBytes(up);
    long n = 40L * 1024 * 1024 + 5;
    try (HttpClient client = client()) {
      HttpResponse<String> sha =
          client.send(
              HttpRequest.newBuilder(URI.create(url("bulk.localhost", "/sha256")))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(up))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(sha.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(sha.body()).isEqualTo(sha256(up) + " " + up.length + "\n");
      HttpResponse<InputStream> down =
          client.send(
              HttpRequest.newBuilder(URI.create(url("bulk.localhost", "/bytes/" + n))).build(),
              HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = down.body()) {
        assertThat(matchingPattern(in)).isEqualTo(n);
      }
    }
  }

  @Test
  void aStreamResetMidResponseClosesItsUpstreamConnectionAndTheConnectionGoesOn() throws Exception {
    try (HttpClient client = client()) {
      URI huge = URI.create(url("bulk.localhost", "/bytes/" + (1L << 32)));
      HttpResponse<InputStream> r =
          client.send(
              HttpRequest.newBuilder(huge).build(), HttpResponse.BodyHandlers.ofInputStream());
      assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
      try (InputStream in = r.body()) {
        assertThat(in.readNBytes(1 << 20)).hasSize(1 << 20);
      } // closing the body early cancels the stream: RST_STREAM(CANCEL)
      assertThat(cut.await(30, TimeUnit.SECONDS))
          .as("the upstream saw its connection closed mid-body")
          .isTrue();
      HttpResponse<String> after =
          client.send(
              HttpRequest.newBuilder(URI.create(url("api.localhost", "/after"))).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(after.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(after.body()).contains("path=/after");
    }
  }

  @Test
  void aClientThatGivesUpBeforeTheAnswerDoesNotMarkTheUpstreamRefused() throws Exception {
    CountDownLatch closed = new CountDownLatch(2);
    try (ServerSocket silent = Upstreams.silent(closed)) {
      Upstream up = Upstream.parse("127.0.0.1:" + silent.getLocalPort());
      f.route("slow.localhost", up.toString());
      int https = f.router.httpsPort();
      int http = f.router.httpPort();
      giveUp(
          "--http2",
          "-k",
          "--resolve",
          "slow.localhost:" + https + ":127.0.0.1",
          "https://slow.localhost:" + https + "/");
      giveUp(
          "--resolve",
          "slow.localhost:" + http + ":127.0.0.1",
          "http://slow.localhost:" + http + "/");
      assertThat(closed.await(20, TimeUnit.SECONDS))
          .as("the router closed both upstream connections when their clients went")
          .isTrue();
      boolean marked = false;
      for (int i = 0; i < 20 && !marked; i++) { // what the router does next runs on its loops
        Thread.sleep(50);
        marked = f.routes.find("slow.localhost").skipped(up);
      }
      assertThat(marked).as("a client giving up says nothing of the upstream's health").isFalse();
    }
  }

  /** Runs curl against an upstream that never answers: it gives up after a second. */
  private static void giveUp(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("--max-time", "1"));
    cmd.addAll(List.of(args));
    RouterFixture.Result r = RouterFixture.curl(cmd.toArray(String[]::new));
    assertThat(r.exitCode()).as("curl gave up waiting: " + r.output()).isEqualTo(28);
  }

  @Test
  void aDownUpstreamGets502WithTheDiagnosisOverHttp2() throws Exception {
    int dead = Upstreams.freePort();
    f.route("down.localhost", "127.0.0.1:" + dead);
    List<String> json =
        curl("down.localhost", "-i", "-H", "Accept: application/json", url("down.localhost", "/"));
    assertThat(json.getFirst()).startsWith("HTTP/2 502");
    assertThat(String.join("\n", json))
        .contains("\"upstream\":\"127.0.0.1:" + dead + "\"", "\"code\":\"NOTHING_LISTENS\"");
    List<String> html = curl("down.localhost", url("down.localhost", "/"));
    assertThat(String.join("\n", html)).contains("<h1>down.localhost: upstream 127.0.0.1:" + dead);
  }

  @Test
  void anUnknownNameGets404WithTheRoutesOverHttp2() throws Exception {
    List<String> lines = curl("nope.localhost", "-i", url("nope.localhost", "/x"));
    assertThat(lines.getFirst()).startsWith("HTTP/2 404");
    assertThat(String.join("\n", lines))
        .contains("no route for nope.localhost", "api.localhost</a> → 127.0.0.1:");
  }

  /** Returns how many bytes of {@code in} match the bulk server's pattern from the start. */
  private static long matchingPattern(InputStream in) throws Exception {
    byte[] buf = new byte[65536];
    long at = 0;
    for (int n; (n = in.read(buf)) > 0; ) {
      for (int i = 0; i < n; i++, at++) {
        if (buf[i] != Upstreams.pattern(at)) {
          return at;
        }
      }
    }
    return at;
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
