package dev.porthole.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.porthole.proxy.ProxyEngine;
import dev.porthole.proxy.ProxyOptions;
import dev.porthole.proxy.RunningProxy;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Our HAR, from real traffic, opened by Chromium's own DevTools importer in a real Chromium. */
@Timeout(180)
class DevToolsHarImportTest {
  @Test
  void chromiumsDevToolsImporterReadsEveryRequestAndTheWebSocketFrames() throws Exception {
    Collected collected = new Collected();
    List<ConnectionRecord> records = new ArrayList<>();
    try (TestHttpServer server = new TestHttpServer();
        TestWebSocketServer wsServer = new TestWebSocketServer();
        CaptureRecorder recorder = new CaptureRecorder(CaptureSettings.defaults());
        ProxyEngine engine = new ProxyEngine()) {
      recorder.addListener(collected);
      engine.recorder(recorder);
      InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
      RunningProxy web = engine.start(ProxyOptions.tcp("web", any, server.address()));
      RunningProxy ws = engine.start(ProxyOptions.tcp("ws", any, wsServer.address()));
      String base = "http://127.0.0.1:" + web.localAddress().getPort();
      try (HttpClient client =
          HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
        for (String path : List.of("/text", "/gzip", "/br", "/missing")) {
          client.send(
              HttpRequest.newBuilder(URI.create(base + path)).build(),
              HttpResponse.BodyHandlers.discarding());
        }
        client.send(
            HttpRequest.newBuilder(URI.create(base + "/echo"))
                .POST(HttpRequest.BodyPublishers.ofString("posted"))
                .build(),
            HttpResponse.BodyHandlers.discarding());
        LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
        WebSocket socket =
            client
                .newWebSocketBuilder()
                .buildAsync(
                    URI.create("ws://127.0.0.1:" + ws.localAddress().getPort() + "/ws"),
                    new WebSocketCaptureTest.Listener(got))
                .get(10, TimeUnit.SECONDS);
        assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("hello");
        socket.sendText("ping", true).get(10, TimeUnit.SECONDS);
        assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("echo: ping");
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
        assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("closed 1000");
      }
      web.closeConnections();
      records.add(collected.nextRecord());
      records.add(collected.nextRecord());
    }
    ByteArrayOutputStream har = new ByteArrayOutputStream();
    new HarWriter("test").write(records, har);
    try (InputStream in = getClass().getResourceAsStream("/har/har-1.2.schema.json")) {
      JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
      assertThat(schema.validate(new ObjectMapper().readTree(har.toByteArray()))).isEmpty();
    }
    JsonNode imported;
    try (DevToolsImporter devtools = new DevToolsImporter()) {
      imported = devtools.importHar(har.toString(StandardCharsets.UTF_8));
    }
    List<String> seen = new ArrayList<>();
    for (JsonNode r : imported) {
      seen.add(
          r.path("method").asText()
              + " "
              + URI.create(r.path("url").asText()).getPath()
              + " "
              + r.path("status").asInt()
              + (r.path("status").asInt() == 101 ? " " + r.path("type").asText() : ""));
    }
    assertThat(seen)
        .containsExactlyInAnyOrder(
            "GET /text 200",
            "GET /gzip 200",
            "GET /br 200",
            "GET /missing 404",
            "POST /echo 200",
            "GET /ws 101 websocket");
    JsonNode socket = null;
    for (JsonNode r : imported) {
      if (r.path("status").asInt() == 101) {
        socket = r;
      }
    }
    assertThat(socket.path("url").asText()).startsWith("ws://");
    List<String> frames = new ArrayList<>();
    socket.path("frames").forEach(f -> frames.add(f.asText()));
    assertThat(frames).startsWith("receive 1 hello", "send 1 ping", "receive 1 echo: ping");
  }
}
