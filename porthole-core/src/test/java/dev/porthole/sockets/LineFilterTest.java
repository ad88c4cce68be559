package dev.porthole.sockets;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a filter tells the kernel (states, a span of local ports) and what it tests itself. */
class LineFilterTest {
  @Test
  void anOpaquePredicateTellsTheKernelNoPort() {
    LineFilter f = LineFilter.ports(p -> p == 22);
    assertThat(f.anyPort()).isTrue();
    assertThat(f.test(22, SocketState.LISTEN)).isTrue();
    assertThat(f.test(23, SocketState.LISTEN)).isFalse();
    assertThat(LineFilter.ALL.anyPort()).isTrue();
    assertThat(LineFilter.LISTENERS.anyPort()).isTrue();
  }

  @Test
  void onePortIsASpanOfOne() {
    LineFilter f = LineFilter.port(5432);
    assertThat(f.anyPort()).isFalse();
    assertThat(f.firstPort()).isEqualTo(5432);
    assertThat(f.lastPort()).isEqualTo(5432);
    assertThat(f.test(5432, SocketState.TIME_WAIT)).isTrue();
    assertThat(f.test(5433, SocketState.LISTEN)).isFalse();
  }

  @Test
  void aSpanBoundsWhatItsPredicateMayAccept() {
    LineFilter even = LineFilter.ports(1000, 2000, p -> p % 2 == 0);
    assertThat(even.test(1000, SocketState.ESTABLISHED)).isTrue();
    assertThat(even.test(1001, SocketState.ESTABLISHED)).isFalse();
    assertThat(even.test(2002, SocketState.ESTABLISHED)).isFalse(); // even, but outside
  }

  @Test
  void bothKeepTheNarrowerStatesAndSpan() {
    LineFilter f = LineFilter.ports(1000, 2000, p -> true).and(LineFilter.port(1500));
    assertThat(f.firstPort()).isEqualTo(1500);
    assertThat(f.lastPort()).isEqualTo(1500);
    LineFilter listeners = f.and(LineFilter.LISTENERS);
    assertThat(listeners.states())
        .containsExactlyInAnyOrder(SocketState.LISTEN, SocketState.UNCONN);
    assertThat(listeners.firstPort()).isEqualTo(1500);
    assertThat(listeners.test(1500, SocketState.LISTEN)).isTrue();
    assertThat(listeners.test(1500, SocketState.ESTABLISHED)).isFalse();
  }

  @Test
  void disjointSpansAcceptNoPort() {
    LineFilter none = LineFilter.port(80).and(LineFilter.port(443));
    assertThat(none.firstPort()).isGreaterThan(none.lastPort());
    assertThat(none.anyPort()).isFalse();
    assertThat(none.test(80, SocketState.LISTEN)).isFalse();
    assertThat(none.test(443, SocketState.LISTEN)).isFalse();
  }
}
