package dev.porthole.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The recorder's memory bounds: what open connections hold, and what waits for the decoder. The
 * taps are driven as the proxy drives them, with real HTTP bytes through the real decoder.
 */
@Timeout(30)
class CaptureMemoryTest {
  private static final InetSocketAddress ADDRESS = new InetSocketAddress("127.0.0.1", 4000);
  private static final String REQUEST = "GET /item HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n";
  private static final String RESPONSE =
      "HTTP/1.1 200 OK\r\nContent-Length: 600\r\nContent-Type: text/plain\r\n\r\n"
          + "x".repeat(600);

  private static ByteBuf bytes(String text) {
    return Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static void exchanges(Tap tap, int n) {
    tap.dialed();
    for (int i = 0; i < n; i++) {
      tap.data(Side.CLIENT, bytes(REQUEST));
      tap.data(Side.SERVER, bytes(RESPONSE));
    }
  }

  @Test
  void openConnectionsHoldAtMostTheBoundAndFreeItWhenTheyClose() throws Exception {
    long bound = 64 * 1024;
    Collected got = new Collected();
    try (CaptureRecorder recorder =
        new CaptureRecorder(CaptureSettings.defaults().withHeldBytes(bound))) {
      recorder.addListener(got);
      List<Tap> taps = new ArrayList<>();
      for (int c = 1; c <= 4; c++) {
        Tap tap = recorder.open("p", c, "tcp", ADDRESS, ADDRESS, "127.0.0.1:5000");
        exchanges(tap, 100);
        taps.add(tap);
      }
      recorder.sync();
      // 400 exchanges of ~1.4 KB and their chunks would take ~1 MB: the bound holds.
      assertThat(recorder.heldBytes()).isPositive().isLessThanOrEqualTo(bound);
      assertThat(recorder.notKept()).isPositive();
      for (Tap tap : taps) {
        tap.closed(EndReason.FIN, 0, 0);
      }
      long seen = 0;
      long kept = 0;
      for (int c = 0; c < 4; c++) {
        ConnectionRecord r = got.nextRecord();
        seen += r.exchangesSeen();
        kept += r.exchanges().size();
        assertThat(r.complete()).isFalse();
      }
      assertThat(seen).isEqualTo(400);
      assertThat(kept).isPositive().isLessThan(400);
      // Every exchange still reached the listeners (stats, feed), kept or not.
      assertThat(got.requests(400)).hasSize(400);
      recorder.sync();
      assertThat(recorder.heldBytes()).isZero();
    }
  }

  @Test
  void aDecoderThatFallsBehindDropsAndCountsCopiesAndTheRecordSaysSo() throws Exception {
    Collected got = new Collected();
    long backlog = 16 * 1024;
    try (CaptureRecorder recorder =
        new CaptureRecorder(CaptureSettings.defaults().withBacklogBytes(backlog))) {
      recorder.addListener(got);
      CountDownLatch release = new CountDownLatch(1);
      // The decoder thread is held: what the tap copies waits, up to the backlog.
      recorder.decode(0, () -> awaitQuietly(release));
      Tap tap = recorder.open("p", 1, "tcp", ADDRESS, ADDRESS, "127.0.0.1:5000");
      exchanges(tap, 50);
      assertThat(recorder.backlogBytes()).isPositive().isLessThanOrEqualTo(backlog);
      assertThat(recorder.droppedChunks()).isPositive();
      release.countDown();
      tap.closed(EndReason.FIN, 0, 0);
      ConnectionRecord r = got.nextRecord();
      assertThat(r.decodingStopped()).isEqualTo("decoder behind");
      assertThat(r.complete()).isFalse();
      assertThat(r.exchangesSeen()).isPositive().isLessThan(50);
      recorder.sync();
      assertThat(recorder.backlogBytes()).isZero();
    }
  }

  @Test
  void theDefaultsTakeAShareOfTheHeapNotMoreThanIt() {
    CaptureSettings s = CaptureSettings.defaults();
    long max = Runtime.getRuntime().maxMemory();
    assertThat(s.backlogBytes()).isLessThanOrEqualTo(Math.max(max / 8, 1024 * 1024));
    assertThat(s.heldBytes()).isLessThanOrEqualTo(Math.max(max / 8, 1024 * 1024));
    assertThat(s.heldBytes()).isLessThanOrEqualTo(CaptureSettings.MAX_HELD);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
