package dev.porthole.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.http1.Header;
import dev.porthole.proxy.ProxyEngine;
import dev.porthole.proxy.ProxyOptions;
import dev.porthole.proxy.RunningProxy;
import java.io.ByteArrayOutputStream;
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
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class RecordingProxyTest {
  static ProxyEngine engine;
  static CaptureRecorder recorder;
  static Collected collected;
  static TestHttpServer http;

  @BeforeAll
  static void start() throws IOException {
    engine = new ProxyEngine();
    recorder = new CaptureRecorder(CaptureSettings.defaults());
    collected = new Collected();
    recorder.addListener(collected);
    engine.recorder(recorder);
    http = new TestHttpServer();
  }

  @AfterAll
  static void stop() {
    http.close();
    engine.close();
    recorder.close();
  }

  static RunningProxy proxyTo(String name, String upstream) throws IOException {
    return engine.start(
        ProxyOptions.tcp(
            name, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), upstream));
  }

  @Test
  void keepAliveRequestsBecomeExchangesOfOneConnection() throws Exception {
    collected.records.clear();
    collected.requests.clear();
    try (RunningProxy proxy = proxyTo("web", http.address());
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      String base = "http://127.0.0.1:" + proxy.localAddress().getPort();
      for (String path : List.of("/text", "/chunked", "/gzip", "/missing")) {
        HttpResponse<byte[]> r =
            client.send(
                HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(path.equals("/missing") ? 404 : 200);
      }
      HttpResponse<String> posted =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/echo?x=1"))
                  .POST(HttpRequest.BodyPublishers.ofString("ping-body"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(posted.body()).isEqualTo("ping-body");
      List<CaptureListener.Request> got = collected.requests(5);
      assertThat(got)
          .extracting(r -> r.exchange().method() + " " + r.exchange().target())
          .containsExactly(
              "GET /text", "GET /chunked", "GET /gzip", "GET /missing", "POST /echo?x=1");
      assertThat(got)
          .extracting(r -> r.exchange().status())
          .containsExactly(200, 200, 200, 404, 200);
      HttpExchange chunked = got.get(1).exchange();
      assertThat(Header.first(chunked.responseHeaders(), "Transfer-encoding"))
          .isEqualToIgnoringCase("chunked");
      assertThat(chunked.responseBodySize()).isEqualTo(TestHttpServer.TEXT.length() * 100L);
      HttpExchange gzip = got.get(2).exchange();
      assertThat(new String(gzip.responseBody(), StandardCharsets.US_ASCII))
          .isEqualTo(TestHttpServer.TEXT.repeat(50));
      assertThat(gzip.responseBodySize()).isLessThan(TestHttpServer.TEXT.length() * 50L);
      HttpExchange post = got.get(4).exchange();
      assertThat(post.requestBodySize()).isEqualTo(9);
      assertThat(post.requestBody()).asString().isEqualTo("ping-body");
      for (CaptureListener.Request r : got) {
        HttpExchange x = r.exchange();
        assertThat(x.startMicros()).isLessThanOrEqualTo(x.sentMicros());
        assertThat(x.sentMicros()).isLessThanOrEqualTo(x.firstByteMicros());
        assertThat(x.firstByteMicros()).isLessThanOrEqualTo(x.endMicros());
      }
      assertThat(got).extracting(CaptureListener.Request::connection).containsOnly(1L);
      proxy.closeConnections();
      ConnectionRecord record = collected.nextRecord();
      assertThat(record.kind()).isEqualTo("http");
      assertThat(record.proxy()).isEqualTo("web");
      assertThat(record.exchanges()).hasSize(5);
      assertThat(record.dialMicros()).isGreaterThanOrEqualTo(0);
      assertThat(record.complete()).isTrue();
      assertThat(record.keptBytes()).isEqualTo(record.bytesUp() + record.bytesDown());
    }
  }

  @Test
  void aBrotliBodyIsShownDecodedWithItsTrueSizeOnTheWire() throws Exception {
    collected.requests.clear();
    try (RunningProxy proxy = proxyTo("br", http.address());
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      HttpResponse<byte[]> r =
          client.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + proxy.localAddress().getPort() + "/br"))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(r.headers().firstValue("Content-Encoding")).hasValue("br");
      HttpExchange x = collected.requests(1).getFirst().exchange();
      assertThat(x.responseBodySize()).isEqualTo(r.body().length).isLessThan(100);
      assertThat(new String(x.responseBody(), StandardCharsets.US_ASCII))
          .isEqualTo(TestHttpServer.TEXT.repeat(50));
    }
  }

  @Test
  void bytesThroughARecordingProxyAreUntouchedEvenWhenTheyAlmostLookLikeHttp() throws Exception {
    collected.records.clear();
    Random random = new Random(10);
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    sent.writeBytes(
        "GET / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    byte[] noise = new byte[700_000];
    random.nextBytes(noise);
    sent.writeBytes(noise);
    sent.writeBytes(
        "HTTP/1.1 200 OK\r\nContent-Length: 99999999\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    byte[] payload = sent.toByteArray();
    try (ServerSocket upstream = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        RunningProxy proxy = proxyTo("raw", "127.0.0.1:" + upstream.getLocalPort())) {
      // The upstream answers with its own reversed copy, so each direction has its own checksum.
      CompletableFuture<String> serverSaw = new CompletableFuture<>();
      threads.submit(
          () -> {
            try (Socket s = upstream.accept()) {
              byte[] in = s.getInputStream().readAllBytes();
              serverSaw.complete(sha(in));
              s.getOutputStream().write(reversed(in));
              s.shutdownOutput();
            }
            return null;
          });
      // Only this client's record counts: another process may connect to the listener too.
      String client;
      try (Socket s = new Socket()) {
        s.connect(proxy.localAddress(), 5000);
        s.setSoTimeout(20_000);
        client = OwnRecords.key(s);
        CompletableFuture<byte[]> back = CompletableFuture.supplyAsync(() -> readAll(s), threads);
        OutputStream out = s.getOutputStream();
        out.write(payload);
        s.shutdownOutput();
        assertThat(serverSaw.get()).isEqualTo(sha(payload));
        assertThat(sha(back.get())).isEqualTo(sha(reversed(payload)));
      }
      ConnectionRecord record = collected.nextRecord(client);
      assertThat(record.kind()).isEqualTo("raw");
      assertThat(record.bytesUp()).isEqualTo(payload.length);
      assertThat(record.bytesDown()).isEqualTo(payload.length);
      assertThat(record.end()).isEqualTo(EndReason.FIN);
      assertThat(recorder.notHttp()).isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void aRefusedDialIsRecordedWithItsReason() throws Exception {
    collected.records.clear();
    int dead;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      dead = s.getLocalPort();
    }
    try (RunningProxy proxy = proxyTo("dead", "127.0.0.1:" + dead);
        Socket s = new Socket()) {
      s.connect(proxy.localAddress(), 5000);
      s.setSoTimeout(10_000);
      String client = OwnRecords.key(s); // another process's connection fails its dial too
      assertThat(s.getInputStream().read()).isEqualTo(-1);
      ConnectionRecord record = collected.nextRecord(client);
      assertThat(record.end()).isEqualTo(EndReason.DIAL_FAILED);
      assertThat(record.dialMicros()).isEqualTo(-1);
    }
  }

  @Test
  void aUdpSessionBecomesARecordWithItsDatagramBytes() throws Exception {
    collected.records.clear();
    try (java.net.DatagramSocket echo =
            new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress());
        RunningProxy proxy =
            engine.start(
                new ProxyOptions(
                    "dns",
                    dev.porthole.sockets.Protocol.UDP,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    "127.0.0.1:" + echo.getLocalPort(),
                    false,
                    null));
        java.net.DatagramSocket client =
            new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      echo.setSoTimeout(10_000);
      client.setSoTimeout(10_000);
      byte[] ping = "ping-datagram".getBytes(StandardCharsets.US_ASCII);
      client.send(new java.net.DatagramPacket(ping, ping.length, proxy.localAddress()));
      java.net.DatagramPacket got = new java.net.DatagramPacket(new byte[100], 100);
      echo.receive(got);
      echo.send(
          new java.net.DatagramPacket(got.getData(), got.getLength(), got.getSocketAddress()));
      client.receive(new java.net.DatagramPacket(new byte[100], 100));
      proxy.closeConnections();
      ConnectionRecord record = collected.nextRecord();
      assertThat(record.protocol()).isEqualTo("udp");
      assertThat(record.kind()).isEqualTo("raw");
      assertThat(record.bytesUp()).isEqualTo(ping.length);
      assertThat(record.bytesDown()).isEqualTo(ping.length);
      assertThat(record.end()).isEqualTo(EndReason.CLOSED);
    }
  }

  private static byte[] readAll(Socket s) {
    try (InputStream in = s.getInputStream()) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static byte[] reversed(byte[] b) {
    byte[] r = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      r[i] = b[b.length - 1 - i];
    }
    return r;
  }

  static String sha(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }
}
