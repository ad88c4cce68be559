package dev.porthole.proxy.toxics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.porthole.sockets.Protocol;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs each toxic's handler on a virtual clock. */
class ToxicsTest {

  @Test
  void latencyHoldsEachChunkFromItsArrival() {
    ToxicHarness h = new ToxicHarness(new Latency(100, 0));
    h.send("a").advance(50).send("b").advance(49);
    assertThat(h.out).isEmpty();
    h.advance(1);
    assertThat(h.out).containsExactly("a");
    h.advance(49);
    assertThat(h.out).containsExactly("a");
    h.advance(1);
    assertThat(h.out).containsExactly("a", "b");
  }

  @Test
  void latencyDelaysEndOfStreamBehindItsData() {
    ToxicHarness h = new ToxicHarness(new Latency(100, 0));
    h.send("a").eof();
    assertThat(h.out).isEmpty();
    h.advance(100);
    assertThat(h.out).containsExactly("a", "EOF");
  }

  @Test
  void latencyJitterStaysInRange() {
    ToxicHarness h = new ToxicHarness(new Latency(100, 20));
    h.send("a").advance(79);
    assertThat(h.out).isEmpty();
    h.advance(41);
    assertThat(h.out).containsExactly("a");
  }

  @Test
  void removingLatencyPassesOnWhatItHolds() {
    ToxicHarness h = new ToxicHarness(new Latency(10_000, 0));
    h.send("a").send("b").remove();
    assertThat(h.out).containsExactly("a", "b");
  }

  @Test
  void inactiveToxicPassesEverythingOn() {
    ToxicHarness h = new ToxicHarness(new Latency(10_000, 0).active(false));
    h.send("a");
    assertThat(h.out).containsExactly("a");
  }

  @Test
  void bandwidthPacesLikeToxiproxy() {
    // rate 1 = 1 byte/ms: 3000 bytes go out as 100-byte pieces every 100 ms, done at 3 s.
    ToxicHarness h = new ToxicHarness(new Bandwidth(1));
    h.send(Unpooled.wrappedBuffer(new byte[3000]));
    h.advance(99);
    assertThat(h.out).isEmpty();
    h.advance(1);
    assertThat(h.out).containsExactly("#100");
    h.advance(2_899);
    assertThat(h.bytes()).isEqualTo(2900);
    h.advance(1);
    assertThat(h.bytes()).isEqualTo(3000);
  }

  @Test
  void bandwidthLosesNoTimeToTheWritesBetweenChunks() {
    // rate 10 = 10 bytes/ms: 100 queued chunks of 1000 bytes are due every 100 ms, the last at
    // 10 s, even when handing each chunk on takes 50 us (a real write): each wait is counted from
    // when the chunk was due, not from when the previous write ended (that lost 5 ms here).
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.freezeTime();
    long[] received = new long[1];
    ch.pipeline().addLast(new Bandwidth(10));
    ch.pipeline()
        .addLast(
            new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                received[0] += ((ByteBuf) msg).readableBytes();
                ((ByteBuf) msg).release();
                ch.advanceTimeBy(50, TimeUnit.MICROSECONDS);
              }
            });
    for (int i = 0; i < 100; i++) {
      ch.writeInbound(Unpooled.wrappedBuffer(new byte[1000]));
    }
    long t0 = ch.eventLoop().ticker().nanoTime();
    runUntil(ch, t0 + TimeUnit.MILLISECONDS.toNanos(9_999));
    assertThat(received[0]).isEqualTo(99_000);
    runUntil(ch, t0 + TimeUnit.MILLISECONDS.toNanos(10_001));
    assertThat(received[0]).isEqualTo(100_000);
    ch.finishAndReleaseAll();
  }

  /** Runs the channel's timers in 100 us steps until its clock reads {@code nanos}. */
  private static void runUntil(EmbeddedChannel ch, long nanos) {
    while (ch.eventLoop().ticker().nanoTime() < nanos) {
      ch.advanceTimeBy(100, TimeUnit.MICROSECONDS);
      ch.runPendingTasks();
    }
  }

  @Test
  void bandwidthGivesNoCreditForIdleTime() {
    ToxicHarness h = new ToxicHarness(new Bandwidth(1));
    h.advance(1_000).send("abcde");
    h.advance(4);
    assertThat(h.out).isEmpty();
    h.advance(1);
    assertThat(h.out).containsExactly("abcde");
  }

  @Test
  void bandwidthZeroIsUnlimited() {
    ToxicHarness h = new ToxicHarness(new Bandwidth(0));
    h.send("abc");
    assertThat(h.out).containsExactly("abc");
  }

  @Test
  void slowCloseDelaysOnlyTheEnd() {
    ToxicHarness h = new ToxicHarness(new SlowClose(500));
    h.send("a").eof();
    assertThat(h.out).containsExactly("a");
    h.advance(499);
    assertThat(h.out).containsExactly("a");
    h.advance(1);
    assertThat(h.out).containsExactly("a", "EOF");
  }

  @Test
  void timeoutDropsDataAndClosesWhenIdle() {
    ToxicHarness h = new ToxicHarness(new Timeout(500));
    h.advance(250).send("a").advance(250).send("b").advance(499);
    assertThat(h.out).isEmpty();
    assertThat(h.dropped).isEqualTo(2);
    h.advance(1);
    assertThat(h.out).containsExactly("CLOSE");
  }

  @Test
  void timeoutZeroDropsForever() {
    ToxicHarness h = new ToxicHarness(new Timeout(0));
    h.send("a").advance(100_000);
    assertThat(h.out).isEmpty();
  }

  @Test
  void removingTimeoutClosesTheConnection() {
    ToxicHarness h = new ToxicHarness(new Timeout(0));
    h.send("a").remove();
    assertThat(h.channel.isOpen()).isFalse();
  }

  @Test
  void resetPeerResetsAfterTheFirstChunk() {
    ToxicHarness h = new ToxicHarness(new ResetPeer(300));
    h.advance(1_000);
    assertThat(h.out).isEmpty();
    h.send("a").advance(299);
    assertThat(h.out).isEmpty();
    h.advance(1);
    assertThat(h.out).containsExactly("RESET");
  }

  @Test
  void resetPeerWithToxicityZeroNeverResets() {
    ToxicHarness h = new ToxicHarness(new ResetPeer(0).active(false));
    h.send("a").advance(1_000);
    assertThat(h.out).containsExactly("a");
  }

  @Test
  void slicerSplitsIntoAverageSizedPiecesWithDelay() {
    ToxicHarness h = new ToxicHarness(new Slicer(10, 0, 1000));
    h.send(Unpooled.wrappedBuffer(new byte[80]));
    assertThat(h.out).containsExactly("#10");
    h.advanceMicros(1000);
    assertThat(h.out).hasSize(2);
    h.advance(10);
    assertThat(h.bytes()).isEqualTo(80);
    assertThat(h.out).allMatch(s -> s.equals("#10"));
  }

  @Test
  void slicerWithVariationKeepsEveryByte() {
    ToxicHarness h = new ToxicHarness(new Slicer(7, 7, 0));
    h.send(Unpooled.wrappedBuffer(new byte[10_000]));
    assertThat(h.bytes()).isEqualTo(10_000);
    assertThat(h.out).allMatch(s -> Integer.parseInt(s.substring(1)) <= 14);
  }

  @Test
  void slicerRefusesWhatCrashesToxiproxy() {
    assertThatThrownBy(() -> Slicer.TYPE.validate(Map.of()))
        .hasMessage("slicer: average_size must be > 0 (got 0)");
    assertThatThrownBy(() -> Slicer.TYPE.validate(Map.of("average_size", 5L, "size_variation", 6L)))
        .hasMessage("slicer: size_variation must be <= average_size (got 6 > 5)");
  }

  @Test
  void limitDataTruncatesThenCloses() {
    ToxicHarness h = new ToxicHarness(new LimitData(10));
    h.send("abcd").send("efghijkl");
    assertThat(h.out).containsExactly("abcd", "efghij", "CLOSE");
    assertThat(h.dropped).isEqualTo(2);
  }

  @Test
  void limitDataZeroClosesOnTheFirstChunk() {
    ToxicHarness h = new ToxicHarness(new LimitData(0));
    h.send("abc");
    assertThat(h.out).containsExactly("CLOSE");
  }

  @Test
  void limitDataKeepsItsCountAcrossAnUpdate() {
    LimitData old = new LimitData(10);
    ToxicHarness h = new ToxicHarness(old);
    h.send("abcdef");
    LimitData updated = new LimitData(8);
    updated.restartFrom(old);
    ToxicHarness h2 = new ToxicHarness(updated);
    h2.send("ghijk");
    assertThat(h2.out).containsExactly("gh", "CLOSE");
  }

  @Test
  void registryHasToxiproxyNamesAttributesAndDefaults() {
    ToxicRegistry r = ToxicRegistry.standard();
    assertThat(r.types().stream().map(ToxicType::name))
        .startsWith(
            "latency",
            "bandwidth",
            "slow_close",
            "timeout",
            "reset_peer",
            "slicer",
            "limit_data",
            "noop");
    assertThat(r.type("latency").orElseThrow().defaults())
        .containsExactly(Map.entry("latency", 0L), Map.entry("jitter", 0L));
    assertThat(List.copyOf(r.type("slicer").orElseThrow().defaults().keySet()))
        .containsExactly("average_size", "size_variation", "delay");
    assertThat(r.type("noop").orElseThrow().defaults()).isEmpty();
    assertThat(r.type("bandwidth").orElseThrow().attributeType("rate")).isEqualTo(Long.class);
  }

  @Test
  void validationRejectsNegativeAndFractionalValues() {
    assertThatThrownBy(() -> Latency.TYPE.validate(Map.of("latency", -1L)))
        .hasMessage("latency: latency must be between 0 and 86400000 (got -1)");
    assertThatThrownBy(() -> Bandwidth.TYPE.validate(Map.of("rate", 1.5)))
        .hasMessage("bandwidth: rate must be a whole number (got 1.5)");
    assertThat(Latency.TYPE.supports(Protocol.UDP)).isTrue();
    assertThat(Slicer.TYPE.supports(Protocol.UDP)).isFalse();
  }
}
