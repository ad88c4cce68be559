package dev.porthole.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * permessage-deflate messages (RFC 7692) are previewed inflated: compressed as the RFC says (raw
 * deflate, sync flush, the trailing {@code 00 00 ff ff} stripped), with context takeover on the
 * server's side and none on the client's, fragmented messages and control frames between.
 */
@Timeout(30)
class PerMessageDeflateTest {
  static final String SWITCHED_DEFLATE =
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
          + "Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover\r\n\r\n";

  @Test
  void compressedMessagesArePreviewedAsTheirText() {
    Collected collected = new Collected();
    String text = "the quick brown fox jumps over the lazy dog ".repeat(40);
    Deflater server = new Deflater(Deflater.DEFAULT_COMPRESSION, true); // keeps its context
    byte[] first = compress(server, text);
    byte[] second = compress(server, text); // back-references into the first message
    assertThat(second.length).isLessThan(first.length); // needs the first one to inflate
    byte[] mask = {1, 2, 3, 4};
    byte[] hello = compress(new Deflater(Deflater.DEFAULT_COMPRESSION, true), "hello, server");
    byte[] again = compress(new Deflater(Deflater.DEFAULT_COMPRESSION, true), "hello, server");
    byte[] split = compress(server, "fragmented " + text);
    int half = split.length / 2;
    try (CaptureRecorder recorder = new CaptureRecorder(CaptureSettings.defaults())) {
      recorder.addListener(collected);
      Tap tap = WebSocketCaptureTest.open(recorder);
      send(tap, Side.CLIENT, WebSocketCaptureTest.UPGRADE.getBytes(StandardCharsets.US_ASCII));
      send(tap, Side.SERVER, SWITCHED_DEFLATE.getBytes(StandardCharsets.US_ASCII));
      send(tap, Side.SERVER, WebSocketCaptureTest.frame(0xC1, first, null)); // FIN RSV1 text
      send(tap, Side.CLIENT, WebSocketCaptureTest.frame(0xC1, hello, mask));
      send(tap, Side.SERVER, WebSocketCaptureTest.frame(0xC1, second, null));
      send(tap, Side.CLIENT, WebSocketCaptureTest.frame(0xC1, again, mask));
      send(tap, Side.SERVER, WebSocketCaptureTest.frame(0x89, new byte[] {7}, null)); // ping
      send(tap, Side.SERVER, WebSocketCaptureTest.frame(0x41, Arrays.copyOf(split, half), null));
      send(tap, Side.SERVER, WebSocketCaptureTest.frame(0x8A, new byte[0], null)); // pong
      byte[] rest = Arrays.copyOfRange(split, half, split.length);
      send(tap, Side.SERVER, WebSocketCaptureTest.frame(0x80, rest, null)); // continuation
      send(tap, Side.CLIENT, WebSocketCaptureTest.frame(0x81, ascii("plain"), mask));
      tap.closed(EndReason.FIN, 0, 0);
      ConnectionRecord r = WebSocketCaptureTest.next(collected);
      assertThat(r.frames())
          .extracting(f -> f.opcodeName() + " " + f.compressed() + " " + f.text())
          .containsExactly(
              "text true true", "text true true", "text true true", "text true true",
              "ping false false", "text true true", "pong false false", "cont false true",
              "text false true");
      String preview = text.substring(0, WebSocketFrames.PREVIEW);
      assertThat(r.frames().get(0).data()).isEqualTo(preview);
      assertThat(r.frames().get(1).data()).isEqualTo("hello, server");
      assertThat(r.frames().get(2).data()).as("context taken over").isEqualTo(preview);
      assertThat(r.frames().get(3).data()).isEqualTo("hello, server");
      String whole = r.frames().get(5).data() + r.frames().get(7).data();
      assertThat(whole).startsWith("fragmented the quick brown fox");
      assertThat(r.frames().get(8).data()).isEqualTo("plain");
      assertThat(r.frames().get(2).size()).isEqualTo(second.length);
    }
  }

  @Test
  void withoutTheExtensionAgreedTheCompressedBytesAreShownAsTheyAre() {
    Collected collected = new Collected();
    byte[] z = compress(new Deflater(Deflater.DEFAULT_COMPRESSION, true), "hello");
    try (CaptureRecorder recorder = new CaptureRecorder(CaptureSettings.defaults())) {
      recorder.addListener(collected);
      Tap tap = WebSocketCaptureTest.open(recorder);
      send(tap, Side.CLIENT, WebSocketCaptureTest.UPGRADE.getBytes(StandardCharsets.US_ASCII));
      send(tap, Side.SERVER, WebSocketCaptureTest.SWITCHED.getBytes(StandardCharsets.US_ASCII));
      send(tap, Side.SERVER, WebSocketCaptureTest.frame(0xC1, z, null));
      tap.closed(EndReason.FIN, 0, 0);
      WebSocketFrame f = WebSocketCaptureTest.next(collected).frames().getFirst();
      assertThat(f.text()).isFalse();
      assertThat(f.data()).isEqualTo(java.util.Base64.getEncoder().encodeToString(z));
    }
  }

  @Test
  void theExtensionHeaderIsReadAsTheRfcWritesIt() {
    assertThat(PerMessageDeflate.of(null)).isNull();
    assertThat(PerMessageDeflate.of("x-webkit-deflate-frame")).isNull();
    assertThat(PerMessageDeflate.of("foo, Permessage-Deflate; server_max_window_bits=10"))
        .isNotNull();
  }

  /** Compresses one message as RFC 7692 says: sync flush, the last four bytes stripped. */
  static byte[] compress(Deflater d, String message) {
    d.setInput(message.getBytes(StandardCharsets.UTF_8));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    int n;
    while ((n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH)) > 0) {
      out.write(buf, 0, n);
    }
    byte[] all = out.toByteArray();
    return Arrays.copyOf(all, all.length - 4);
  }

  private static void send(Tap tap, Side side, byte[] b) {
    tap.data(side, Unpooled.wrappedBuffer(b));
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
