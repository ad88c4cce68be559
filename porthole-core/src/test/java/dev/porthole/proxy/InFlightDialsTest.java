package dev.porthole.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.DefaultEventExecutor;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** An accepted connection waits for the dials in flight when it came, and only for those. */
@Timeout(30)
class InFlightDialsTest {
  private final DefaultEventExecutor loop = new DefaultEventExecutor();
  private final InFlightDials dials = new InFlightDials();

  @AfterEach
  void stop() {
    loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
  }

  @Test
  void withNoDialInFlightToThePortItStartsAtOnce() {
    dials.began(9); // another port
    AtomicInteger started = new AtomicInteger();
    dials.afterDials(8080, loop, started::incrementAndGet);
    assertThat(started).hasValue(1);
  }

  @Test
  void itStartsOnlyOnceTheOlderDialsEndedNotTheNewerOnes() throws Exception {
    long first = dials.began(8080);
    long second = dials.began(8080);
    CountDownLatch started = new CountDownLatch(1);
    dials.afterDials(8080, loop, started::countDown);
    long later = dials.began(8080); // begun after the accept: never this connection's hop
    dials.ended(8080, second);
    assertThat(started.await(100, TimeUnit.MILLISECONDS)).isFalse();
    dials.ended(8080, first);
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    dials.ended(8080, later);
  }

  @Test
  void aDialThatNeverEndsHoldsItNoLongerThanTheBound() throws Exception {
    dials.began(8080);
    CountDownLatch started = new CountDownLatch(1);
    long t0 = System.nanoTime();
    dials.afterDials(8080, loop, started::countDown);
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0))
        .isGreaterThanOrEqualTo(InFlightDials.MAX_WAIT_MILLIS - 50);
  }

  @Test
  void anEndedDialIsForgottenAndAnUnknownTicketIgnored() {
    long t = dials.began(8080);
    dials.ended(8080, t);
    dials.ended(8080, t);
    dials.ended(1, 42);
    AtomicInteger started = new AtomicInteger();
    dials.afterDials(8080, loop, started::incrementAndGet);
    assertThat(started).hasValue(1);
  }
}
