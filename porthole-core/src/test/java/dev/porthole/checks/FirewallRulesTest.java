package dev.porthole.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Parses real iptables-save and nft output (captured from a namespace) for loopback rules. */
class FirewallRulesTest {
  private static final String IPTABLES =
      """
      *filter
      :INPUT ACCEPT [0:0]
      -A INPUT -p tcp -m tcp --dport 40001 -j DROP
      -A INPUT -i eth0 -p tcp -m tcp --dport 40002 -j DROP
      -A INPUT -i lo -p tcp -m multiport --dports 5000:5100,6000 -j REJECT --reject-with icmp-port-unreachable
      -A INPUT -s 10.0.0.0/8 -j DROP
      -A INPUT -p tcp --dport 40003 -j ACCEPT
      COMMIT
      """;
  private static final String NFT =
      """
      table ip filter {
      	chain INPUT {
      		type filter hook input priority filter; policy accept;
      		tcp dport 40001 counter packets 0 bytes 0 drop
      		iifname "eth0" tcp dport 40002 drop
      		ip daddr 127.0.0.1 tcp dport { 7000, 7002-7004 } reject
      	}
      }
      """;

  private static FirewallRules read(int port) {
    return FirewallRules.read(
        command ->
            switch (command.get(0)) {
              case "iptables-save" -> new CommandRunner.Output(0, IPTABLES, "");
              case "nft" -> new CommandRunner.Output(0, NFT, "");
              default -> new CommandRunner.Output(127, "", command.get(0) + " is not installed");
            },
        port);
  }

  @Test
  void findsDropForThePortInBothTools() {
    assertThat(read(40001).rules())
        .containsExactly(
            "iptables-save: -A INPUT -p tcp -m tcp --dport 40001 -j DROP",
            "nft: tcp dport 40001 counter packets 0 bytes 0 drop");
  }

  @Test
  void ignoresRulesForOtherInterfacesAndAddresses() {
    assertThat(read(40002).rules()).isEmpty();
  }

  @Test
  void matchesRangesListsAndSets() {
    assertThat(read(5050).rules()).hasSize(1);
    assertThat(read(6000).rules()).hasSize(1);
    assertThat(read(7003).rules())
        .containsExactly("nft: ip daddr 127.0.0.1 tcp dport { 7000, 7002-7004 } reject");
    assertThat(read(7001).rules()).isEmpty();
  }

  @Test
  void saysWhatWasNotChecked() {
    FirewallRules r = read(1);
    assertThat(r.readable()).isTrue();
    assertThat(r.notes()).isEqualTo(List.of("ip6tables-save is not installed"));
  }
}
