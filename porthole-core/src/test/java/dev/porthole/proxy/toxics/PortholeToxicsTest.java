package dev.porthole.proxy.toxics;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** Runs porthole's own toxics on a virtual clock. */
class PortholeToxicsTest {

  @Test
  void lossHoldsALostChunkForTheRetransmitDelayAndKeepsOrder() {
    ToxicHarness h = new ToxicHarness(new Loss(1.0, 200));
    h.send("a");
    h.advance(199);
    assertThat(h.out).isEmpty();
    h.advance(1);
    assertThat(h.out).containsExactly("a");
  }

  @Test
  void lossZeroPassesAtOnce() {
    ToxicHarness h = new ToxicHarness(new Loss(0.0, 200));
    h.send("a").send("b");
    assertThat(h.out).containsExactly("a", "b");
  }

  @Test
  void limitTimeClosesAfterTheTime() {
    ToxicHarness h = new ToxicHarness(new LimitTime(1_000));
    h.send("a").advance(999);
    assertThat(h.out).containsExactly("a");
    h.advance(1);
    assertThat(h.out).containsExactly("a", "CLOSE");
  }

  @Test
  void sharedBandwidthSplitsOneBudgetBetweenLinks() {
    SharedState shared = new SharedState();
    // 1 KB/s = 1 byte per ms, shared: two links sending 100 bytes each need 200 ms in total.
    ToxicHarness one = new ToxicHarness(SharedBandwidth.TYPE.create(
        SharedBandwidth.attributes(1), shared));
    ToxicHarness two = new ToxicHarness(SharedBandwidth.TYPE.create(
        SharedBandwidth.attributes(1), shared));
    one.send(Unpooled.wrappedBuffer(new byte[100]));
    two.send(Unpooled.wrappedBuffer(new byte[100]));
    // Each harness has its own virtual clock starting at the same instant.
    one.advance(100);
    two.advance(199);
    assertThat(one.bytes()).isEqualTo(100);
    assertThat(two.bytes()).isZero();
    two.advance(1);
    assertThat(two.bytes()).isEqualTo(100);
  }

  @Test
  void connectFaultsAreMarkedAsSuch() {
    assertThat(Refuse.TYPE.atConnect()).isTrue();
    assertThat(BlackHole.TYPE.atConnect()).isTrue();
    assertThat(ConnectDelay.TYPE.atConnect()).isTrue();
    assertThat(Latency.TYPE.atConnect()).isFalse();
    assertThat(ConnectDelay.TYPE.defaults()).containsKey("delay");
  }
}
