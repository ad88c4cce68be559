package dev.porthole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon holding the firewall timers ({@code /api/firewall}), run as a child process inside a
 * private network namespace with real iptables: never the machine's own rules.
 *
 * <p>The daemon listens on the default port, 62893, so the CLI finds it as it would on a machine:
 * inside the namespace nothing else can hold that port, and nothing outside sees it.
 */
@Timeout(300)
class FirewallDaemonNamespaceTest {
  private static final String API = "http://127.0.0.1:62893/api/firewall";

  @TempDir Path dir;

  private String up() {
    return "porthole up --port 62893 --no-watch --data-dir "
        + Namespace.quote(dir.toString())
        + " >> "
        + Namespace.quote(dir + "/up.log")
        + " 2>&1 &\nup=$!\n"
        + Namespace.until("curl -sf -o /dev/null " + API);
  }

  private static String post(String json) {
    return "curl -s -w ' HTTP%{http_code}\\n' -X POST -H 'Content-Type: application/json' -d '"
        + json
        + "' "
        + API;
  }

  /** Returns a loop that waits (at most 40 s) until no porthole rule is left in iptables. */
  private static String untilGone() {
    return "for i in $(seq 800); do iptables-save | grep -q porthole: || break; sleep 0.05; done";
  }

  private static String between(String out, String from, String to) {
    int start = out.indexOf(from);
    int end = to == null ? out.length() : out.indexOf(to, start);
    return start < 0 || end < 0 ? "" : out.substring(start, end);
  }

  @Test
  void aRuleAddedThroughTheApiIsInTheFilterAndGoneWhenItsTimeIsUp() throws Exception {
    Run run =
        Namespace.shell(
            String.join(
                "\n",
                up(),
                "echo ADDED; " + post("{\"action\":\"block\",\"port\":4110,\"for\":\"3s\"}"),
                "echo DURING; iptables-save | grep -- '-A INPUT'",
                "echo LIST; curl -s " + API + "; echo",
                untilGone(),
                // The daemon takes a rule out of the filter first and out of its ledger next (a
                // failed removal keeps the entry), so the list may trail the filter a moment.
                Namespace.until("curl -s " + API + " | grep -qF '{\"rules\":[]}'"),
                "echo AFTER; iptables-save | grep -c porthole: || true",
                "curl -s " + API + "; echo",
                "echo UP; kill -0 $up && echo RUNNING",
                "kill -TERM $up; wait $up"));
    String added = between(run.out(), "ADDED", "DURING");
    assertThat(added)
        .as(run.err())
        .containsPattern(
            "\"id\":\"[0-9a-f]{8}\",\"rule\":\"drop tcp 4110\",\"filter\":\"iptables\"")
        .contains("HTTP201");
    assertThat(between(run.out(), "DURING", "LIST"))
        .containsPattern(
            "-A INPUT -p tcp -m tcp --dport 4110 -m comment --comment \"?porthole:[0-9a-f]{8}\"? -j"
                + " DROP");
    assertThat(between(run.out(), "LIST", "AFTER"))
        .contains("\"rule\":\"drop tcp 4110\"")
        .contains("\"reason\":\"daemon\"")
        .contains("\"holderAlive\":true");
    assertThat(between(run.out(), "AFTER", "UP"))
        .startsWith("AFTER\n0\n")
        .contains("{\"rules\":[]}");
    assertThat(between(run.out(), "UP", null)).contains("RUNNING");
  }

  @Test
  void aRestartedDaemonReArmsTheTimedRulesAKilledOneLeft() throws Exception {
    Run run =
        Namespace.shell(
            String.join(
                "\n",
                up(),
                post("{\"action\":\"allow\",\"port\":4111,\"for\":\"30s\",\"interface\":\"lo\"}"),
                post("{\"action\":\"block\",\"port\":4112,\"keep\":true}"),
                "old=$up; kill -9 $up; wait $up",
                up(),
                "echo RESTARTED; echo NEW=$up; iptables-save | grep -c porthole:",
                "curl -s " + API + "; echo",
                untilGone().replace("grep -q porthole:", "grep -q -- '--dport 4111 .*porthole:'"),
                "echo AFTER; iptables-save | grep -- '-A INPUT'",
                "kill -TERM $up; wait $up",
                "echo STOPPED; iptables-save | grep -- '-A INPUT'"));
    String restarted = between(run.out(), "RESTARTED", "AFTER");
    String newPid = restarted.replaceAll("(?s).*NEW=(\\d+).*", "$1");
    assertThat(restarted)
        .as(run.err())
        .contains("\n2\n")
        .containsPattern(
            "\"rule\":\"accept tcp 4111 on lo\",.*\"filter\":\"iptables\",\"reason\":\"daemon\","
                + "\"expiresMs\":\\d+,\"leftMs\":\\d+,\"holderPid\":"
                + newPid
                + ",\"holderAlive\":true")
        .contains("\"rule\":\"drop tcp 4112\"");
    assertThat(between(run.out(), "AFTER", "STOPPED"))
        .doesNotContain("4111")
        .containsPattern("--dport 4112 -m comment --comment \"?porthole:");
    assertThat(between(run.out(), "STOPPED", null))
        .as("a kept rule stays when the daemon stops")
        .containsPattern("--dport 4112 -m comment --comment \"?porthole:");
  }

  @Test
  void aStoppedDaemonRemovesTheTimedRulesItHeldAndBadInputIs400() throws Exception {
    Run run =
        Namespace.shell(
            String.join(
                "\n",
                up(),
                "echo BAD",
                post("{\"action\":\"block\",\"port\":70000,\"for\":\"1m\"}"),
                post("{\"action\":\"open\",\"port\":4113,\"for\":\"1m\"}"),
                post("{\"action\":\"block\",\"port\":4113,\"for\":\"10 min\"}"),
                post("{\"action\":\"block\",\"port\":4113}"),
                post("{\"action\":\"block\",\"port\":4113,\"for\":\"1m\",\"interface\":\"lo;rm\"}"),
                post("{\"action\":\"block\",\"port\":4113,\"for\":\"1m\",\"protocol\":\"icmp\"}"),
                post("not json"),
                "curl -s -w ' HTTP%{http_code}\\n' -X DELETE " + API + "/nothex",
                "curl -s -w ' HTTP%{http_code}\\n' -X DELETE " + API + "/0123abcd",
                "echo GOOD; iptables-save | grep -c porthole: || true",
                post("{\"action\":\"block\",\"port\":4114,\"for\":\"10m\"}"),
                post("{\"action\":\"block\",\"port\":4115,\"for\":\"10m\"}"),
                "id=$(curl -s " + API + " | grep -o '[0-9a-f]\\{8\\}' | head -1)",
                "curl -s -w ' HTTP%{http_code}\\n' -X DELETE " + API + "/$id",
                "echo LEFT; iptables-save | grep -c porthole:",
                "kill -TERM $up; wait $up",
                "echo STOPPED; iptables-save | grep -c porthole: || true"));
    String bad = between(run.out(), "BAD", "GOOD");
    assertThat(bad)
        .as(run.err())
        .contains("port: 70000 (expected: 1 to 65535)\",\"status\":400} HTTP400")
        .contains("action: 'open' (expected: allow or block)")
        .contains("for: '10 min'")
        .contains("for is required (e.g. \\\"10m\\\"), or keep: true")
        .contains("interface: 'lo;rm'")
        .contains("protocol: 'icmp' (expected: tcp or udp)")
        .contains("bad request body: invalid JSON")
        .contains("id: 'nothex' (expected: 8 hex digits)\",\"status\":400} HTTP400")
        .contains("no rule porthole:0123abcd in force\",\"status\":404} HTTP404")
        .doesNotContain("HTTP500")
        .doesNotContain("HTTP201");
    assertThat(between(run.out(), "GOOD", "LEFT")).startsWith("GOOD\n0\n").contains("HTTP200");
    assertThat(between(run.out(), "LEFT", "STOPPED")).startsWith("LEFT\n1\n");
    assertThat(between(run.out(), "STOPPED", null)).startsWith("STOPPED\n0\n");
  }

  @Test
  void theCommandHandsTheRuleToTheDaemonAndReturnsAtOnceUnlessForeground() throws Exception {
    String data = " --data-dir " + Namespace.quote(dir.toString());
    Run run =
        Namespace.shell(
            String.join(
                "\n",
                up(),
                "echo ADD; porthole firewall block 4120 --for 15s" + data + "; echo EXIT=$?",
                "echo DURING; iptables-save | grep -c porthole:",
                "porthole firewall list" + data,
                untilGone(),
                "echo AFTER; iptables-save | grep -c porthole: || true",
                "porthole firewall allow 4121 --for 1m --foreground" + data + " > /dev/null &",
                "fg=$!",
                Namespace.until("iptables-save | grep -q -- '--dport 4121'"),
                "echo FG=$fg; curl -s " + API + "; echo",
                "kill -TERM $fg; wait $fg",
                "echo KEEP; porthole firewall allow 4122 --keep --json" + data,
                "id=$(curl -s " + API + " | grep -o '[0-9a-f]\\{8\\}' | head -1)",
                "porthole firewall remove $id" + data,
                "echo END; iptables-save | grep -c porthole: || true",
                "kill -TERM $up; wait $up"));
    String add = between(run.out(), "ADD", "DURING");
    assertThat(add)
        .as(run.err())
        .containsPattern(
            "added porthole:[0-9a-f]{8}: drop tcp 4120 \\(iptables\\); the daemon at"
                + " http://127.0.0.1:62893 removes it in 15s, at \\d{4}-\\d\\d-\\d\\dT")
        .contains("EXIT=0");
    assertThat(between(run.out(), "DURING", "AFTER"))
        .startsWith("DURING\n1\n")
        .containsPattern("drop tcp 4120 +iptables +\\d+s +PID \\d+ +yes")
        .contains("note: rules from the daemon at http://127.0.0.1:62893");
    assertThat(between(run.out(), "AFTER", "FG")).startsWith("AFTER\n0\n");
    String fg = between(run.out(), "FG=", "KEEP");
    String fgPid = fg.replaceAll("(?s)FG=(\\d+).*", "$1");
    assertThat(fg)
        .contains("\"rule\":\"accept tcp 4121\"")
        .contains("\"reason\":\"firewall\"")
        .contains("\"holderPid\":" + fgPid + ",");
    assertThat(between(run.out(), "KEEP", "END"))
        .containsPattern(
            "\"rule\" : \"accept tcp 4122\",\\s+\"filter\" : \"iptables\",\\s+\"expiresMs\" : null")
        .containsPattern("removed porthole:[0-9a-f]{8} \\(accept tcp 4122\\) through the daemon");
    assertThat(between(run.out(), "END", null)).startsWith("END\n0\n");
  }
}
