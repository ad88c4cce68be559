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
    // 1 KB/s = 1 byte per ms, shared: two links sending 100 bytes each need 200 ms in total.
    SharedState shared = new SharedState();
    SharedBandwidth.Budget budget = shared.get("rate=1", () -> new SharedBandwidth.Budget(1));
    assertThat(budget.reserve(100, 0)).isEqualTo(100_000_000L);
    assertThat(budget.reserve(100, 0)).isEqualTo(200_000_000L);
    assertThat(budget.reserve(100, 500_000_000L)).isEqualTo(600_000_000L);
  }

  @Test
  void sharedBandwidthPacesALink() {
    ToxicHarness h = new ToxicHarness(SharedBandwidth.TYPE.create(
        SharedBandwidth.attributes(1), new SharedState()));
    h.send(Unpooled.wrappedBuffer(new byte[100])).send(Unpooled.wrappedBuffer(new byte[100]));
    h.advance(99);
    assertThat(h.bytes()).isZero();
    h.advance(1);
    assertThat(h.bytes()).isEqualTo(100);
    h.advance(100);
    assertThat(h.bytes()).isEqualTo(200);
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
