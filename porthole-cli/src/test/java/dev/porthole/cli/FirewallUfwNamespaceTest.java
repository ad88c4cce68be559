package dev.porthole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code porthole firewall} and {@code quarantine} when ufw manages the packet filter: each test in
 * its own private network namespace, with a private copy of /etc/ufw and /etc/default/ufw
 * bind-mounted over the machine's, so ufw is enabled there only and the machine's ufw files and
 * rules stay as they were (checked after each test).
 */
@Timeout(300)
class FirewallUfwNamespaceTest {
  private static final Path ETC_UFW = Path.of("/etc/ufw/user.rules");

  @TempDir Path dir;
  private String machineRules;

  @BeforeEach
  void readMachineRules() throws Exception {
    machineRules = Files.readString(ETC_UFW);
  }

  @AfterEach
  void machineUfwUntouched() throws Exception {
    assertThat(Files.readString(ETC_UFW)).isEqualTo(machineRules);
  }

  private String dataDir() {
    return " --data-dir " + Namespace.quote(dir.toString());
  }

  /** Returns setup lines: a private ufw configuration, enabled, inside the namespace only. */
  private String privateUfw() {
    String etc = Namespace.quote(dir + "/etc-ufw");
    String defaults = Namespace.quote(dir + "/default-ufw");
    return String.join(
        "\n",
        "mkdir -p " + etc + " && cp -a /etc/ufw/. " + etc,
        "cp /etc/default/ufw " + defaults,
        "mount --bind " + etc + " /etc/ufw",
        "mount --bind " + defaults + " /etc/default/ufw",
        "ufw --force enable > /dev/null || echo UFW-FAILED");
  }

  private static String between(String out, String from, String to) {
    int start = out.indexOf(from);
    int end = to == null ? out.length() : out.indexOf(to, start + from.length());
    return start < 0 || end < 0 ? "" : out.substring(start, end);
  }

  @Test
  void aTimedBlockIsAUfwRuleWithTheTagAndIsDeletedWhenTheTimeIsUp() throws Exception {
    Run run =
        Namespace.shell(
            String.join(
                "\n",
                privateUfw(),
                "ufw allow 22/tcp > /dev/null",
                "porthole firewall block 4120 --for 20s"
                    + dataDir()
                    + " > "
                    + dir
                    + "/fg.txt 2>&1 &",
                Namespace.until("ufw status | grep -q porthole:"),
                "echo DURING; ufw status numbered; iptables -S ufw-user-input",
                "echo LIST; porthole firewall list" + dataDir(),
                "wait",
                "echo AFTER; ufw status numbered; echo FG; cat " + dir + "/fg.txt"));
    String out = run.out();
    assertThat(out).as(run.err()).doesNotContain("UFW-FAILED");
    assertThat(between(out, "DURING", "LIST"))
        .as(out)
        .containsPattern("\\[ 1\\] 4120/tcp +DENY IN +Anywhere +# porthole:[0-9a-f]{8}")
        .containsPattern("4120/tcp \\(v6\\) +DENY IN +Anywhere \\(v6\\) +# porthole:[0-9a-f]{8}")
        .contains("22/tcp")
        .contains("-A ufw-user-input -p tcp -m tcp --dport 4120 -j DROP");
    assertThat(between(out, "LIST", "AFTER")).contains("drop tcp 4120", "ufw");
    assertThat(between(out, "AFTER", "FG")).doesNotContain("porthole:").contains("22/tcp");
    assertThat(between(out, "FG", null))
        .containsPattern("added porthole:[0-9a-f]{8}: drop tcp 4120 \\(ufw\\); removed in 20s")
        .containsPattern("removed porthole:[0-9a-f]{8}");
  }

  @Test
  void cleanRemovesWhatAKilledCommandLeftInUfwAndNothingElse() throws Exception {
    Run run =
        Namespace.shell(
            String.join(
                "\n",
                privateUfw(),
                "ufw deny 4121/tcp > /dev/null",
                "porthole firewall allow 4121 --for 10m --interface lo"
                    + dataDir()
                    + " > /dev/null &",
                "pid=$!",
                Namespace.until("ufw status | grep -q porthole:"),
                "kill -9 $pid; wait $pid",
                "echo KILLED; ufw status",
                "echo CLEAN; porthole firewall clean" + dataDir(),
                "echo AFTER; ufw status"));
    String out = run.out();
    assertThat(between(out, "KILLED", "CLEAN"))
        .as(run.err())
        .containsPattern("4121/tcp on lo +ALLOW +Anywhere +# porthole:[0-9a-f]{8}");
    assertThat(between(out, "CLEAN", "AFTER")).contains("accept tcp 4121", "removed");
    assertThat(between(out, "AFTER", null))
        .doesNotContain("porthole:")
        .containsPattern("4121/tcp +DENY +Anywhere");
  }

  @Test
  void quarantineUnderUfwDropsThePortThroughUfwAndReleaseDeletesIt() throws Exception {
    Run run =
        Namespace.shell(
            String.join(
                "\n",
                privateUfw(),
                Namespace.listener(4122),
                "pid=$(ss -Hltnp 'sport = :4122' | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)",
                "porthole quarantine 4122 --yes" + dataDir() + " > " + dir + "/q.txt",
                "id=$(sed -n 's/^quarantined \\([0-9a-f]*\\):.*/\\1/p' " + dir + "/q.txt)",
                "echo STATE=$(awk '{print $3}' /proc/$pid/stat)",
                "echo DURING; ufw status",
                "echo RELEASE; porthole quarantine release $id" + dataDir(),
                "echo AFTER; ufw status"));
    String out = run.out();
    assertThat(out).as(run.err()).contains("STATE=T");
    assertThat(between(out, "DURING", "RELEASE"))
        .containsPattern("4122/tcp +DENY +Anywhere +# porthole:[0-9a-f]{8}");
    assertThat(between(out, "RELEASE", "AFTER")).contains("unblocked tcp/4122");
    assertThat(between(out, "AFTER", null)).doesNotContain("porthole:");
  }
}
