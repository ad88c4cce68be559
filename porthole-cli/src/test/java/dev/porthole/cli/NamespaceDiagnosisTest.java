package dev.porthole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stages what needs root and a private namespace for real: firewall DROP and REJECT (iptables and
 * nft), a broken hosts file. CI runs as root; these tests run there, never skipped.
 */
@Timeout(180)
class NamespaceDiagnosisTest {

  @Test
  void iptablesDropIsAFirewallDropWithTheRule() throws Exception {
    Run run =
        Namespace.run(
            "iptables -A INPUT -p tcp --dport 4001 -j DROP",
            "check",
            "127.0.0.1:4001",
            "--timeout",
            "1s",
            "--json");
    assertThat(run.code()).as(run.err()).isEqualTo(1);
    assertThat(run.out())
        .contains("\"code\" : \"FIREWALL_DROP\"")
        .contains("rule iptables-save: -A INPUT -p tcp -m tcp --dport 4001 -j DROP");
  }

  @Test
  void nftDropIsAFirewallDropWithTheRule() throws Exception {
    Run run =
        Namespace.run(
            String.join(
                "\n",
                "nft add table inet porthole",
                "nft add chain inet porthole input '{ type filter hook input priority 0; }'",
                "nft add rule inet porthole input tcp dport 4005 drop"),
            "check",
            "127.0.0.1:4005",
            "--timeout",
            "1s");
    assertThat(run.code()).as(run.err()).isEqualTo(1);
    assertThat(run.out())
        .contains("A packet filter drops connections to 127.0.0.1:4005.  [FIREWALL_DROP]")
        .contains("rule nft: tcp dport 4005 drop");
  }

  @Test
  void rejectWhileAProcessListensIsAFirewallReject() throws Exception {
    Run run =
        Namespace.run(
            Namespace.listener(4002) + "\niptables -A INPUT -p tcp --dport 4002 -j REJECT",
            "check",
            "127.0.0.1:4002",
            "--timeout",
            "1s");
    assertThat(run.code()).as(run.err()).isEqualTo(1);
    assertThat(run.out())
        .contains(
            "A packet filter rejects connections to 127.0.0.1:4002 although a process listens. "
                + " [FIREWALL_REJECT]")
        .contains("(socat, user root) listens on 127.0.0.1:4002, yet the connection was refused")
        .contains("rule iptables-save: -A INPUT -p tcp -m tcp --dport 4002 -j REJECT");
  }

  @Test
  void localhostMappedOffLoopbackInTheHostsFile(@TempDir Path dir) throws Exception {
    Run run =
        Namespace.run(
            Namespace.hostsFile(dir, "10.9.8.7 localhost\n"),
            "check",
            "localhost:4003",
            "--timeout",
            "1s");
    assertThat(run.code()).as(run.err()).isEqualTo(1);
    assertThat(run.out())
        .contains("localhost does not resolve to loopback.  [NAME_OFF_LOOPBACK]")
        .contains("localhost resolves to 10.9.8.7 (JVM)");
  }

  @Test
  void namesMissingFromTheHostsFileDoNotResolve(@TempDir Path dir) throws Exception {
    Run run =
        Namespace.run(
            Namespace.hostsFile(dir, "127.0.0.1 other\n"),
            "check",
            "localhost:4004",
            "--timeout",
            "1s");
    assertThat(run.code()).as(run.err()).isEqualTo(1);
    // The JVM still answers 127.0.0.1 for localhost on its own; every other program fails.
    assertThat(run.out())
        .contains(
            "note: the system resolver (getent ahosts) does not resolve localhost; the JVM does")
        .contains("[NOTHING_LISTENS]");
    Run other =
        Namespace.run(
            Namespace.hostsFile(dir, "127.0.0.1 other\n"),
            "check",
            "devbox:4004",
            "--timeout",
            "1s");
    assertThat(other.out())
        .contains("devbox does not resolve to any address.  [NAME_NOT_RESOLVING]");
  }

  @Test
  void doctorNamesTheBrokenHostsLineAndTheRuleToDelete(@TempDir Path dir) throws Exception {
    Run run =
        Namespace.run(
            Namespace.hostsFile(dir, "127.0.0.1 localhost\n10.9.8.7 localhost\n")
                + "\niptables -A INPUT -i lo -p tcp --dport 4006 -j DROP",
            "doctor",
            "--port",
            "4006");
    assertThat(run.code()).as(run.err()).isEqualTo(1);
    assertThat(run.out())
        .contains("✗ /etc/hosts line 2 maps localhost to 10.9.8.7, which is not loopback")
        .contains(
            "✗ rule drops or rejects loopback port 4006: iptables-save: -A INPUT -i lo -p tcp -m"
                + " tcp --dport 4006 -j DROP")
        .contains("fix: iptables -D INPUT -i lo -p tcp -m tcp --dport 4006 -j DROP")
        .contains("⚠ nothing listens on port 4006");
  }

  @Test
  void doctorSeesLoopbackDown() throws Exception {
    Run run = Namespace.run("ip link set lo down", "doctor", "--json");
    assertThat(run.code()).as(run.err()).isEqualTo(1);
    assertThat(run.out())
        .contains(
            "\"summary\" : \"loopback interface lo is down\"", "\"fix\" : \"ip link set lo up\"");
  }
}
