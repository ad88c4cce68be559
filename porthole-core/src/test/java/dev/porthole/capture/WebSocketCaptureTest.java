package dev.porthole.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.porthole.proxy.ProxyEngine;
import dev.porthole.proxy.ProxyOptions;
import dev.porthole.proxy.RunningProxy;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class WebSocketCaptureTest {
  static final String UPGRADE =
      "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
  static final String SWITCHED =
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";

  @Test
  void framesThroughARecordingProxyAreRecordedUnmaskedBothWays() throws Exception {
    Collected collected = new Collected();
    try (TestWebSocketServer server = new TestWebSocketServer();
        CaptureRecorder recorder = new CaptureRecorder(CaptureSettings.defaults());
        ProxyEngine engine = new ProxyEngine()) {
      recorder.addListener(collected);
      engine.recorder(recorder);
      RunningProxy proxy =
          engine.start(
              ProxyOptions.tcp(
                  "ws",
                  new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                  server.address()));
      LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
      // Below 16 KiB: the JDK client sends larger messages as several frames.
      String big = "x".repeat(10_000);
      try (HttpClient http = HttpClient.newHttpClient()) {
        WebSocket ws =
            http.newWebSocketBuilder()
                .buildAsync(
                    URI.create("ws://127.0.0.1:" + proxy.localAddress().getPort() + "/ws"),
                    new Listener(got))
                .get(10, TimeUnit.SECONDS);
        assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("hello");
        ws.sendText("ping-1", true).get(10, TimeUnit.SECONDS);
        assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("echo: ping-1");
        ws.sendBinary(ByteBuffer.wrap(new byte[] {0, 1, 2, 3}), true).get(10, TimeUnit.SECONDS);
        assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("binary 4");
        ws.sendText(big, true).get(10, TimeUnit.SECONDS);
        assertThat(got.poll(10, TimeUnit.SECONDS).length()).isEqualTo(10_006);
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
        assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("closed 1000");
      }
      ConnectionRecord r = collected.nextRecord();
      assertThat(r.kind()).isEqualTo("websocket");
      assertThat(r.decodingStopped()).isNull();
      assertThat(r.exchanges()).extracting(HttpExchange::status).containsExactly(101);
      List<WebSocketFrame> f = r.frames();
      assertThat(f)
          .extracting(x -> x.side() + " " + x.opcodeName() + " " + x.size())
          .containsExactly(
              "SERVER text 5",
              "CLIENT text 6",
              "SERVER text 12",
              "CLIENT binary 4",
              "SERVER binary 4",
              "CLIENT text 10000",
              "SERVER text 10006",
              "CLIENT close 5",
              "SERVER close 5");
      assertThat(f.get(1).data()).isEqualTo("ping-1"); // masked on the wire
      assertThat(f.get(3).data())
          .isEqualTo(Base64.getEncoder().encodeToString(new byte[] {0, 1, 2, 3}));
      assertThat(f.get(5).data()).isEqualTo("x".repeat(WebSocketFrames.PREVIEW));
      assertThat(f.get(6).data()).startsWith("echo: xxx").hasSize(WebSocketFrames.PREVIEW);
      assertThat(f).extracting(WebSocketFrame::micros).isSorted();
      List<CaptureListener.Frame> live = new ArrayList<>();
      collected.frames.drainTo(live);
      assertThat(live).extracting(CaptureListener.Frame::frame).containsExactlyElementsOf(f);

      ByteArrayOutputStream har = new ByteArrayOutputStream();
      new HarWriter("test").write(List.of(r), har);
      JsonNode entry = new ObjectMapper().readTree(har.toByteArray()).at("/log/entries/0");
      assertThat(entry.path("_resourceType").asText()).isEqualTo("websocket");
      JsonNode messages = entry.path("_webSocketMessages");
      assertThat(messages).hasSize(9);
      assertThat(messages.get(1).path("type").asText()).isEqualTo("send");
      assertThat(messages.get(1).path("opcode").asInt()).isEqualTo(1);
      assertThat(messages.get(1).path("data").asText()).isEqualTo("ping-1");
      assertThat(messages.get(2).path("type").asText()).isEqualTo("receive");
      assertThat(messages.get(2).path("time").asDouble() * 1000)
          .isBetween(r.openedMillis() - 1.0, r.closedMillis() + 1.0);
    }
  }

  @Test
  void aFrameInTheSameChunkAsThe101IsKept() {
    Collected collected = new Collected();
    try (CaptureRecorder recorder = new CaptureRecorder(CaptureSettings.defaults())) {
      recorder.addListener(collected);
      Tap tap = open(recorder);
      tap.data(Side.CLIENT, Unpooled.copiedBuffer(UPGRADE, StandardCharsets.US_ASCII));
      byte[] head = SWITCHED.getBytes(StandardCharsets.US_ASCII);
      byte[] frame = frame(0x81, "hi".getBytes(StandardCharsets.UTF_8), null);
      tap.data(Side.SERVER, Unpooled.wrappedBuffer(head, frame));
      tap.closed(EndReason.FIN, UPGRADE.length(), head.length + frame.length);
      ConnectionRecord r = next(collected);
      assertThat(r.kind()).isEqualTo("websocket");
      assertThat(r.frames()).extracting(WebSocketFrame::data).containsExactly("hi");
    }
  }

  @Test
  void framesAreCutTheSameWhateverTheChunking() {
    byte[] mask = {9, 8, 7, 6};
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    wire.writeBytes(frame(0x01, "hel".getBytes(StandardCharsets.UTF_8), mask)); // text, not fin
    wire.writeBytes(frame(0x80, "lo".getBytes(StandardCharsets.UTF_8), mask)); // continuation
    wire.writeBytes(frame(0x89, new byte[0], mask)); // ping
    wire.writeBytes(frame(0x82, new byte[300], mask)); // 16-bit length
    byte[] all = wire.toByteArray();
    List<WebSocketFrame> whole = new ArrayList<>();
    new WebSocketFrames(whole::add).feed(Side.CLIENT, 1, all, 0);
    List<WebSocketFrame> bytewise = new ArrayList<>();
    WebSocketFrames one = new WebSocketFrames(bytewise::add);
    for (int i = 0; i < all.length; i++) {
      one.feed(Side.CLIENT, 1, new byte[] {all[i]}, 0);
    }
    assertThat(whole)
        .extracting(f -> f.opcodeName() + " " + f.fin() + " " + f.text() + " " + f.data())
        .containsExactly(
            "text false true hel",
            "cont true true lo",
            "ping true false ",
            "binary true false " + Base64.getEncoder().encodeToString(new byte[300]));
    assertThat(bytewise).isEqualTo(whole);
  }

  @Test
  void aSplicedConnectionSaysDecodingStopped() {
    Collected collected = new Collected();
    try (CaptureRecorder recorder = new CaptureRecorder(CaptureSettings.defaults())) {
      recorder.addListener(collected);
      Tap tap = open(recorder);
      tap.data(Side.CLIENT, Unpooled.copiedBuffer(UPGRADE, StandardCharsets.US_ASCII));
      tap.skipped(Side.SERVER, 4096);
      tap.closed(EndReason.FIN, UPGRADE.length(), 4096);
      ConnectionRecord r = next(collected);
      assertThat(r.decodingStopped()).isEqualTo("spliced");
      assertThat(r.complete()).isFalse();
      assertThat(r.exchanges()).extracting(HttpExchange::status).containsExactly(0);
    }
  }

  static Tap open(CaptureRecorder recorder) {
    InetSocketAddress client = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);
    InetSocketAddress listen = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40001);
    return recorder.open("t", 1, "tcp", client, listen, "127.0.0.1:40002");
  }

  static ConnectionRecord next(Collected collected) {
    try {
      return collected.nextRecord();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** Returns one frame: {@code first} is FIN/RSV/opcode, masked with {@code mask} when given. */
  static byte[] frame(int first, byte[] payload, byte[] mask) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(first);
    int m = mask == null ? 0 : 0x80;
    if (payload.length < 126) {
      b.write(m | payload.length);
    } else {
      b.write(m | 126);
      b.write(payload.length >> 8);
      b.write(payload.length & 0xff);
    }
    if (mask != null) {
      b.writeBytes(mask);
    }
    for (int i = 0; i < payload.length; i++) {
      b.write(mask == null ? payload[i] : payload[i] ^ mask[i & 3]);
    }
    return b.toByteArray();
  }

  /** Returns a client listener that queues what it receives as text lines. */
  static final class Listener implements WebSocket.Listener {
    private final LinkedBlockingQueue<String> got;
    private final StringBuilder parts = new StringBuilder();

    Listener(LinkedBlockingQueue<String> got) {
      this.got = got;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      // The client may deliver one message in parts: gather them.
      parts.append(data);
      if (last) {
        got.add(parts.toString());
        parts.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      got.add("binary " + data.remaining());
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
      got.add("closed " + status);
      return null;
    }
  }
}
