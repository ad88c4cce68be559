package dev.porthole.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.attribution.PublishedPort;
import dev.porthole.ports.EphemeralRange;
import dev.porthole.sockets.SocketInventory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real checks of real ports, with the engine's list of published ports given: a DNAT rule explains
 * a refused port nothing here listens on, and is never asked for when a process of ours listens.
 * The whole path through a real dockerd is {@code DnatPublishedTest} (porthole-cli).
 */
@Timeout(60)
class PublishedDiagnosisTest {
  private static final CommandRunner RUNNER = CommandRunner.system(Duration.ofSeconds(5));

  private static Diagnoser diagnoser(int port, List<PublishedPort> published, AtomicInteger asked) {
    return new Diagnoser(
        () -> SocketInventory.system().snapshot(s -> s.localPort() == port),
        EphemeralRange.system(),
        () -> FirewallRules.read(RUNNER, port),
        List::of,
        () -> {
          asked.incrementAndGet();
          return published;
        });
  }

  private static PublishedPort rule(String address, int port) {
    return new PublishedPort(
        "tcp",
        address,
        port,
        "dnat",
        null,
        null,
        null,
        "10.214.7.9:80",
        "-A DOCKER -p tcp -m tcp --dport " + port + " -j DNAT --to-destination 10.214.7.9:80");
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void aRefusedPortWithARuleIsExplainedByTheRule() throws Exception {
    int port = freePort();
    AtomicInteger asked = new AtomicInteger();
    CheckResult r =
        new Check(
                Duration.ofSeconds(3),
                RUNNER,
                diagnoser(port, List.of(rule("0.0.0.0", port)), asked))
            .run(Target.parse("127.0.0.1:" + port));
    assertThat(r.up()).isFalse();
    assertThat(r.diagnosis().code()).isEqualTo(DiagnosisCode.PUBLISHED_VIA_DNAT);
    assertThat(r.diagnosis().summary())
        .isEqualTo(
            port
                + " is published via DNAT to 10.214.7.9:80 (no container the engine knows);"
                + " nothing at 10.214.7.9:80 accepts.");
    assertThat(r.diagnosis().details()).anyMatch(d -> d.startsWith("rule: -A DOCKER"));
    assertThat(r.published().via()).isEqualTo("dnat");
    assertThat(r.published().target()).isEqualTo("10.214.7.9:80");
    assertThat(asked).hasValue(1); // once for the diagnosis and the field together
  }

  @Test
  void aRuleForAnotherAddressOrPortExplainsNothing() throws Exception {
    int port = freePort();
    AtomicInteger asked = new AtomicInteger();
    CheckResult r =
        new Check(
                Duration.ofSeconds(3),
                RUNNER,
                diagnoser(port, List.of(rule("127.0.0.2", port), rule("0.0.0.0", port + 1)), asked))
            .run(Target.parse("127.0.0.1:" + port));
    assertThat(r.diagnosis().code()).isEqualTo(DiagnosisCode.NOTHING_LISTENS);
    assertThat(r.published()).isNull();
  }

  @Test
  void aPortOneOfOurProcessesListensOnNeverAsksTheEngine() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      int port = s.getLocalPort();
      AtomicInteger asked = new AtomicInteger();
      CheckResult r =
          new Check(
                  Duration.ofSeconds(3),
                  RUNNER,
                  diagnoser(port, List.of(rule("0.0.0.0", port)), asked))
              .run(Target.parse("127.0.0.1:" + port));
      assertThat(r.up()).isTrue();
      assertThat(r.published()).isNull();
      assertThat(asked).hasValue(0);
    }
  }
}
