package dev.porthole.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The tap tells the proxy how much of a decoded body may be spliced, and the decoder counts those
 * bytes unseen and decodes the next message after them.
 */
@Timeout(30)
class SplicedBodyDecodingTest {
  static final int LIMIT = CaptureSettings.DEFAULT_BODY_LIMIT;

  @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir;

  @Test
  void theRestOfAContentLengthBodyAndOfAChunkMaySpliceAndDecodingGoesOn() throws Exception {
    java.io.ByteArrayOutputStream upSent = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream downSent = new java.io.ByteArrayOutputStream();
    Collected collected = new Collected();
    try (CaptureRecorder recorder = new CaptureRecorder(CaptureSettings.defaults())) {
      recorder.addListener(collected);
      Tap tap = WebSocketCaptureTest.open(recorder);
      long up = 0;
      long down = 0;
      byte[] head = ascii("POST /up HTTP/1.1\r\nContent-Length: 1000000\r\n\r\n");
      up += send(tap, Side.CLIENT, head, upSent);
      assertThat(spliceable(recorder, tap, Side.CLIENT, up)).as("before the preview").isZero();
      byte[] first = new byte[LIMIT + 10];
      Arrays.fill(first, (byte) 'a');
      up += send(tap, Side.CLIENT, first, upSent);
      long rest = spliceable(recorder, tap, Side.CLIENT, up);
      assertThat(rest).isEqualTo(1_000_000 - first.length);
      tap.skipped(Side.CLIENT, rest);
      upSent.writeBytes(new byte[(int) rest]); // never seen by the recorder
      up += rest;
      down +=
          send(tap, Side.SERVER, ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"),
              downSent);
      down += send(tap, Side.SERVER, ascii("200000\r\n"), downSent); // one chunk of 2 MiB
      down += send(tap, Side.SERVER, first, downSent);
      rest = spliceable(recorder, tap, Side.SERVER, down);
      assertThat(rest).isEqualTo(0x200000 - first.length);
      assertThat(spliceable(recorder, tap, Side.SERVER, down + rest)).as("past the chunk").isZero();
      tap.skipped(Side.SERVER, rest);
      downSent.writeBytes(new byte[(int) rest]);
      down += rest;
      down += send(tap, Side.SERVER, ascii("\r\n5\r\nhello\r\n0\r\n\r\n"), downSent);
      up += send(tap, Side.CLIENT, ascii("GET /next HTTP/1.1\r\n\r\n"), upSent);
      down += send(tap, Side.SERVER, ascii("HTTP/1.1 204 No Content\r\n\r\n"), downSent);
      tap.closed(EndReason.FIN, up, down);
      ConnectionRecord r = WebSocketCaptureTest.next(collected);
      assertThat(r.decodingStopped()).isNull();
      assertThat(r.exchanges()).extracting(HttpExchange::target).containsExactly("/up", "/next");
      HttpExchange x = r.exchanges().getFirst();
      assertThat(x.requestBodySize()).isEqualTo(1_000_000);
      assertThat(x.requestBody()).hasSize(LIMIT);
      assertThat(x.responseBodySize()).isEqualTo(0x200000 + 5);
      assertThat(x.responseBody()).hasSize(LIMIT); // the preview ends where the unseen bytes begin
      assertThat(r.exchanges().get(1).status()).isEqualTo(204);
      assertThat(r.complete()).isFalse();
      assertPcapPutsTheGapsInPlace(r, upSent.toByteArray(), downSent.toByteArray());
    }
  }

  /**
   * The pcap skips the spliced bytes' sequence numbers: tshark flags one gap per side, and every
   * segment holds the bytes sent at its true offset, including those after the gap.
   */
  private void assertPcapPutsTheGapsInPlace(ConnectionRecord r, byte[] up, byte[] down)
      throws Exception {
    java.nio.file.Path pcap = dir.resolve("spliced.pcap");
    try (PcapWriter w = new PcapWriter(java.nio.file.Files.newOutputStream(pcap))) {
      w.write(r);
    }
    PcapSegments p = PcapSegments.read(pcap, 40001);
    assertThat(p.gaps()).isEqualTo(2);
    assertThat(p.firstWrong(true, up)).isNull();
    assertThat(p.firstWrong(false, down)).isNull();
    assertThat(p.bytes(true)).isEqualTo(r.keptBytes() - p.bytes(false));
    assertThat(p.segments().getLast().offset() + p.segments().getLast().data().length)
        .as("the last response ends at its true offset")
        .isEqualTo(down.length);
  }

  @Test
  void bytesSplicedBeyondWhatTheDecoderAllowedStopDecoding() {
    Collected collected = new Collected();
    try (CaptureRecorder recorder = new CaptureRecorder(CaptureSettings.defaults())) {
      recorder.addListener(collected);
      Tap tap = WebSocketCaptureTest.open(recorder);
      long up = send(tap, Side.CLIENT, ascii("POST /up HTTP/1.1\r\nContent-Length: 10\r\n\r\n"));
      assertThat(spliceable(recorder, tap, Side.CLIENT, up)).isZero();
      tap.skipped(Side.CLIENT, 10);
      tap.closed(EndReason.FIN, up + 10, 0);
      assertThat(WebSocketCaptureTest.next(collected).decodingStopped()).isEqualTo("spliced");
    }
  }

  @Test
  void notHttpMaySpliceAnyLengthAndALivePcapNone() throws Exception {
    try (CaptureRecorder recorder = new CaptureRecorder(CaptureSettings.defaults())) {
      Tap tap = WebSocketCaptureTest.open(recorder);
      long n = send(tap, Side.CLIENT, new byte[] {0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5});
      assertThat(spliceable(recorder, tap, Side.CLIENT, n)).isEqualTo(Long.MAX_VALUE);
      PcapWriter nowhere = new PcapWriter(java.io.OutputStream.nullOutputStream());
      recorder.addListener(new LivePcap(nowhere, e -> {}));
      assertThat(spliceable(recorder, tap, Side.CLIENT, n)).isZero();
    }
  }

  private static long spliceable(CaptureRecorder recorder, Tap tap, Side side, long offset) {
    recorder.sync(); // the decoder has seen what was sent
    return tap.spliceable(side, offset);
  }

  private static long send(Tap tap, Side side, byte[] b) {
    tap.data(side, Unpooled.wrappedBuffer(b));
    return b.length;
  }

  private static long send(Tap tap, Side side, byte[] b, java.io.ByteArrayOutputStream sent) {
    sent.writeBytes(b);
    return send(tap, side, b);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
