package dev.porthole.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class WaiterTest {
  @Test
  void backsOffSoADownTargetIsNeverHammered() throws Exception {
    int free;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      free = s.getLocalPort();
    }
    AtomicInteger attempts = new AtomicInteger();
    Waiter waiter =
        new Waiter(
            Duration.ofSeconds(1), Duration.ofMillis(200), null, s -> attempts.incrementAndGet());
    List<Waiter.TargetState> states = waiter.await(List.of(Target.parse(String.valueOf(free))));
    assertThat(states.get(0).up()).isFalse();
    // 25, 50, 100, then 200 ms pauses: about 8 attempts in a second, never hundreds.
    assertThat(attempts.get()).isBetween(3, 12);
  }

  @Test
  void seesATargetThatComesUpLater() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }
    Thread starter =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    Thread.sleep(300);
                    try (ServerSocket late =
                        new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
                      Thread.sleep(3000);
                    }
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
    long t0 = System.nanoTime();
    Waiter waiter = new Waiter(Duration.ofSeconds(5), Duration.ofMillis(100), null, s -> {});
    List<Waiter.TargetState> states = waiter.await(List.of(Target.parse("127.0.0.1:" + port)));
    assertThat(states.get(0).up()).isTrue();
    assertThat((System.nanoTime() - t0) / 1e6).isBetween(250.0, 3000.0);
    starter.interrupt();
  }

  @Test
  void badArgumentsNameTheParameter() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new Waiter(Duration.ZERO, Duration.ofMillis(1), null, s -> {}))
        .hasMessage("timeout: PT0S (expected: > 0)");
  }
}
