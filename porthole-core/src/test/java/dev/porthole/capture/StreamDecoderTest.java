package dev.porthole.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The decoder thread's half of a recording: what a connection that stops being HTTP records. */
@Timeout(30)
class StreamDecoderTest {
  @Test
  void aBrokenHeadIsRecordedAsNotHttpWithItsReasonSaidOnce() {
    Collected collected = new Collected();
    try (CaptureRecorder recorder = new CaptureRecorder(CaptureSettings.defaults())) {
      recorder.addListener(collected);
      Tap tap = WebSocketCaptureTest.open(recorder);
      byte[] good = ascii("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
      byte[] answer = ascii("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
      byte[] broken = ascii("GET /next HTTP/1.1\r\nno colon here\r\n\r\n");
      tap.data(Side.CLIENT, Unpooled.wrappedBuffer(good));
      tap.data(Side.SERVER, Unpooled.wrappedBuffer(answer));
      tap.data(Side.CLIENT, Unpooled.wrappedBuffer(broken));
      tap.closed(EndReason.FIN, good.length + broken.length, answer.length);
      ConnectionRecord r = WebSocketCaptureTest.next(collected);
      assertThat(r.decodingStopped()).isEqualTo("not HTTP: a header line without a colon");
      assertThat(r.kind()).isEqualTo("raw");
      assertThat(r.exchanges()).extracting(HttpExchange::target).containsExactly("/ok");
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
