package dev.porthole.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * DNAT rules from a real {@code iptables-save -t nat} of a Docker engine run with {@code
 * --userland-proxy=false}, joined with the engine's container list and the host's listeners.
 */
@Timeout(30)
class PublishedPortsTest {
  private static String fixture() throws IOException {
    try (InputStream in =
        PublishedPortsTest.class.getResourceAsStream("/nat/docker-userland-proxy-off.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static final ContainerInfo WEB =
      new ContainerInfo(
          "7dcaadbe5df0d188bf06bd1b07230661d28dc844cbe15769e5edb910295bbd6b",
          "dnatweb",
          "a2:test",
          Map.of(),
          List.of("10.214.7.2"),
          List.of("127.0.0.1:43501->80/tcp"));
  private static final ContainerInfo DNS =
      new ContainerInfo(
          "03a3fa6046d193aea2026906f50a402c47b9bdd5b39219ebd70b4e2cd5c108aa",
          "dnatudp",
          "a2:test",
          Map.of(),
          List.of("10.214.7.3"),
          List.of("0.0.0.0:43502->53/udp", ":::43502->53/udp"));

  @Test
  void readsDockersDnatRulesAndSkipsRangesNegationsAndOtherTargets() throws IOException {
    List<DnatRule> rules = NatTable.parse(fixture());
    assertThat(rules)
        .extracting(r -> r.chain() + " " + r.protocol() + " " + r.address() + ":" + r.port())
        .containsExactly(
            "DOCKER tcp 127.0.0.1:43501", "DOCKER udp null:43502", "PREROUTING tcp null:8443");
    assertThat(rules.getFirst().toAddress() + ":" + rules.getFirst().toPort())
        .isEqualTo("10.214.7.2:80");
  }

  @Test
  void aPortWithoutASocketIsPublishedViaDnatToItsContainer() throws IOException {
    List<PublishedPort> all =
        PublishedPorts.join(List.of(WEB, DNS), List.of(), NatTable.parse(fixture()));
    assertThat(all)
        .extracting(PublishedPort::summary)
        .containsExactly(
            "published to 192.168.122.20:443 via DNAT (-A PREROUTING -p tcp -m tcp --dport 8443"
                + " -j DNAT --to-destination 192.168.122.20:443)",
            "published by Docker to container dnatweb port 80/tcp via DNAT (-A DOCKER -d"
                + " 127.0.0.1/32 -p tcp -m tcp --dport 43501 -j DNAT --to-destination"
                + " 10.214.7.2:80)",
            "published by Docker to container dnatudp port 53/udp via DNAT (-A DOCKER -p udp -m"
                + " udp --dport 43502 -j DNAT --to-destination 10.214.7.3:53)",
            "published by Docker to container dnatudp port 53/udp via DNAT (-A DOCKER -p udp -m"
                + " udp --dport 43502 -j DNAT --to-destination 10.214.7.3:53)");
    assertThat(all.get(3).address()).isEqualTo("::");
    assertThat(all.get(1).target()).isEqualTo("10.214.7.2:80");
  }

  @Test
  void aPortHeldByDockerProxyOrAnotherProcessSaysWho() {
    List<PublishedPort> all =
        PublishedPorts.join(
            List.of(WEB, DNS),
            List.of(
                new PublishedPorts.HostListener("tcp", 43501, 41, "docker-proxy"),
                new PublishedPorts.HostListener("udp6", 43502, 42, "rootlessport")),
            List.of());
    assertThat(all)
        .extracting(PublishedPort::summary)
        .containsExactly(
            "published by Docker to container dnatweb port 80/tcp via docker-proxy (pid 41)",
            "published by Docker to container dnatudp port 53/udp via rootlessport (pid 42)",
            "published by Docker to container dnatudp port 53/udp via rootlessport (pid 42)");
  }

  @Test
  void dockerdsReservingSocketIsNoProxyTheRuleStillServesThePort() throws IOException {
    List<PublishedPort> all =
        PublishedPorts.join(
            List.of(WEB),
            List.of(new PublishedPorts.HostListener("tcp", 43501, 40, "dockerd")),
            NatTable.parse(fixture()));
    assertThat(all.get(1).via()).isEqualTo("dnat");
    assertThat(all.get(1).summary())
        .endsWith("10.214.7.2:80); dockerd (pid 40) only reserves the port");
  }

  @Test
  void anUnreadableTableOrAMissingCommandIsAReasonNotARule() {
    NatTable missing = new NatTable(List.of("/nonexistent/iptables-save"));
    assertThat(missing.read()).isEmpty();
    assertThat(missing.problem())
        .isEqualTo("nat table not read: /nonexistent/iptables-save is not installed");
    NatTable refused =
        new NatTable(
            List.of(
                "sh",
                "-c",
                "echo 'iptables-save v1.8.9: Permission denied (you must be root)'" + "; exit 1"));
    assertThat(refused.read()).isEmpty();
    assertThat(refused.problem()).isEqualTo("nat table not read: needs root (try sudo)");
    NatTable ok =
        new NatTable(
            List.of(
                "sh",
                "-c",
                "echo '-A DOCKER -p tcp --dport 1 -j DNAT" + " --to-destination 10.0.0.2:2'"));
    assertThat(ok.read()).hasSize(1);
    assertThat(ok.problem()).isNull();
  }

  @Test
  void aHungCommandIsGivenUpAfterFiveSeconds() {
    NatTable hung = new NatTable(List.of("sleep", "30"));
    assertThat(hung.read()).isEmpty();
    assertThat(hung.problem()).isEqualTo("nat table not read: sleep did not end within 5 s");
  }
}
