package dev.porthole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code porthole firewall} with real iptables and nftables, each test in its own private network
 * namespace: rules are checked by listing them with the tools themselves. Never the machine's.
 */
@Timeout(300)
class FirewallNamespaceTest {
  @TempDir Path dir;

  private String dataDir() {
    return " --data-dir " + Namespace.quote(dir.toString());
  }

  @Test
  void iptablesBlockForAShortTimeIsInsertedTaggedThenRemoved() throws Exception {
    Run run =
        Namespace.shell(
            String.join(
                "\n",
                "porthole firewall block 4100 --for 8s"
                    + dataDir()
                    + " > "
                    + dir
                    + "/fg.txt 2>&1 &",
                Namespace.until("iptables-save | grep -q porthole:"),
                "echo DURING; iptables-save | grep -- '-A INPUT'",
                "porthole firewall list" + dataDir(),
                "wait",
                "echo AFTER; iptables-save | grep -- '-A INPUT'; echo FG; cat " + dir + "/fg.txt",
                "porthole firewall list" + dataDir()));
    String during = run.out().substring(run.out().indexOf("DURING"), run.out().indexOf("AFTER"));
    String after = run.out().substring(run.out().indexOf("AFTER"), run.out().indexOf("FG"));
    String fg = run.out().substring(run.out().indexOf("FG"));
    assertThat(during)
        .containsPattern(
            "-A INPUT -p tcp -m tcp --dport 4100 -m comment --comment \"?porthole:[0-9a-f]{8}\"? -j"
                + " DROP")
        .contains("drop tcp 4100")
        .contains("IN FILTER")
        .containsPattern("\\d+s +PID \\d+ +yes");
    assertThat(after).doesNotContain("porthole:");
    assertThat(fg)
        .containsPattern("added porthole:[0-9a-f]{8}: drop tcp 4100 \\(iptables\\); removed in 8s")
        .containsPattern("removed porthole:[0-9a-f]{8}")
        .contains("porthole has no rules in force");
  }

  @Test
  void nftAllowGoesIntoTheMachinesOwnInputChainAndSigtermRemovesIt() throws Exception {
    Run run =
        Namespace.shell(
            String.join(
                "\n",
                "nft add table inet filter",
                "nft add chain inet filter input '{ type filter hook input priority 0; policy"
                    + " accept; }'",
                "nft add rule inet filter input tcp dport 4101 drop",
                "porthole firewall allow 4101 --for 1m --interface lo" + dataDir() + " &",
                "pid=$!",
                Namespace.until("nft list ruleset | grep -q porthole:"),
                "echo DURING; nft list ruleset",
                "kill -TERM $pid; wait $pid; echo EXIT=$?",
                "echo AFTER; nft list ruleset"));
    String during = run.out().substring(run.out().indexOf("DURING"), run.out().indexOf("AFTER"));
    String after = run.out().substring(run.out().indexOf("AFTER"));
    assertThat(during)
        .as(run.err())
        .containsPattern("iifname \"lo\" tcp dport 4101 accept comment \"porthole:[0-9a-f]{8}\"")
        .contains("tcp dport 4101 drop");
    assertThat(after).doesNotContain("porthole").contains("tcp dport 4101 drop");
  }

  @Test
  void killDashNineLeavesTheRuleAndCleanRemovesOnlyPortholesOwn() throws Exception {
    Run run =
        Namespace.shell(
            String.join(
                "\n",
                "iptables -A INPUT -p tcp --dport 4102 -j DROP",
                "porthole firewall allow 4102 --for 10m" + dataDir() + " > /dev/null &",
                "pid=$!",
                Namespace.until("iptables-save | grep -q porthole:"),
                "kill -9 $pid; wait $pid",
                "echo KILLED; iptables-save | grep -- '-A INPUT'",
                "porthole firewall list" + dataDir(),
                "echo CLEAN; porthole firewall clean" + dataDir(),
                "echo AFTER; iptables-save | grep -- '-A INPUT'",
                "porthole firewall clean" + dataDir()));
    String killed = run.out().substring(run.out().indexOf("KILLED"), run.out().indexOf("CLEAN"));
    String clean = run.out().substring(run.out().indexOf("CLEAN"), run.out().indexOf("AFTER"));
    String after = run.out().substring(run.out().indexOf("AFTER"));
    assertThat(killed)
        .as(run.err())
        .containsPattern("--dport 4102 -m comment --comment \"?porthole:")
        .contains("(holder gone: firewall clean)")
        .contains("iptables-save: -A INPUT -p tcp -m tcp --dport 4102 -j DROP");
    assertThat(clean).contains("accept tcp 4102").contains("removed");
    assertThat(after)
        .doesNotContain("porthole:")
        .contains("-A INPUT -p tcp -m tcp --dport 4102 -j DROP")
        .contains("nothing left behind");
  }

  @Test
  void theDaemonCleansWhatAKilledCommandLeftBehindWhenItStarts() throws Exception {
    Run run =
        Namespace.shell(
            String.join(
                "\n",
                "porthole firewall block 4105 --for 10m" + dataDir() + " > /dev/null &",
                "pid=$!",
                Namespace.until("iptables-save | grep -q porthole:"),
                "kill -9 $pid; wait $pid",
                "echo KILLED; iptables-save | grep -c porthole:",
                "porthole up --port 63750 --no-watch" + dataDir() + " > /dev/null 2>&1 &",
                "up=$!",
                Namespace.until("! iptables-save | grep -q porthole:"),
                "echo STARTED; iptables-save | grep -c porthole: || true",
                "kill -TERM $up; wait $up"));
    String killed = run.out().substring(run.out().indexOf("KILLED"), run.out().indexOf("STARTED"));
    assertThat(killed).as(run.err()).contains("KILLED\n1\n");
    assertThat(run.out().substring(run.out().indexOf("STARTED"))).startsWith("STARTED\n0\n");
  }

  @Test
  void withoutNetAdminItPrintsTheSudoCommandAndExits3() throws Exception {
    Run run =
        Namespace.shell(
            // Root without CAP_NET_ADMIN, rather than another user: that user could not read a
            // checkout made private (mktemp -d is 0700), and the JVM would fail to start instead.
            "setpriv --inh-caps=-net_admin --bounding-set=-net_admin"
                + " bash -c \"$(declare -f porthole); porthole firewall allow 4103 --for 10m"
                + " --udp\"; echo EXIT=$?; iptables-save | grep -c porthole: || true");
    assertThat(run.out()).contains("EXIT=3").endsWith("0\n");
    assertThat(run.err())
        .contains(
            "changing packet filter rules needs root or CAP_NET_ADMIN; run: sudo porthole"
                + " firewall allow 4103 --for 10m --udp");
  }

  @Test
  void badArgumentsAreUsageErrorsBeforeAnythingIsTouched() {
    Run noFor = Run.of("firewall", "allow", "4104", "--data-dir", dir.toString());
    assertThat(noFor.code()).isEqualTo(2);
    assertThat(noFor.err()).contains("--for is required (e.g. --for 10m), or --keep");
    Run badFor = Run.of("firewall", "block", "4104", "--for", "10 min");
    assertThat(badFor.code()).isEqualTo(2);
    assertThat(badFor.err()).contains("--for: '10 min'");
    Run badPort = Run.of("firewall", "block", "70000", "--for", "1m");
    assertThat(badPort.code()).isEqualTo(2);
    assertThat(badPort.err()).contains("PORT: 70000 (expected: 1 to 65535)");
    Run badIface = Run.of("firewall", "allow", "4104", "--for", "1m", "--interface", "lo;rm");
    assertThat(badIface.code()).isEqualTo(2);
    assertThat(badIface.err()).contains("--interface: 'lo;rm'");
  }
}
