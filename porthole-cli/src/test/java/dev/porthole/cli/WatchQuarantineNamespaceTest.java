package dev.porthole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watch's policy {@code quarantine} action for real, inside a private network namespace (for
 * the DROP rules, and so that the only listeners the watch can see are the test's): an unexpected
 * socat is frozen (state T) and cut off, the webhook receives the {@code quarantined} event, and
 * {@code quarantine release} lets it go.
 */
@Timeout(300)
class WatchQuarantineNamespaceTest {
  private static final String HOOK =
      String.join(
          "\n",
          "import http.server, sys",
          "class H(http.server.BaseHTTPRequestHandler):",
          "    def do_POST(self):",
          "        body = self.rfile.read(int(self.headers['Content-Length']))",
          "        with open(sys.argv[2], 'ab') as f:",
          "            f.write(body + b'\\n')",
          "        self.send_response(204)",
          "        self.end_headers()",
          "    def log_message(self, *a):",
          "        pass",
          "http.server.HTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()",
          "");

  @TempDir Path dir;

  @Test
  void anUnexpectedListenerIsFrozenDroppedAndReportedToTheWebhook() throws Exception {
    Path hook = Files.writeString(dir.resolve("hook.py"), HOOK);
    Path policy =
        Files.writeString(
            dir.resolve("policy.yaml"),
            "unexpected: quarantine\nexpected:\n  - port: 4390\n    process: python3\n");
    String d = Namespace.quote(dir.toString());
    String log = Namespace.quote(dir + "/hook.log");
    String connects = "timeout 2 bash -c 'exec 3<>/dev/tcp/127.0.0.1/4300' 2>/dev/null";
    Run run =
        Namespace.shell(
            String.join(
                "\n",
                "python3 " + Namespace.quote(hook.toString()) + " 4390 " + log + " &",
                Namespace.until("ss -Hltn 'sport = :4390' | grep -q ."),
                Namespace.listener(4300),
                "pid=$(ss -Hltnp 'sport = :4300' | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)",
                connects + " && echo BEFORE=answers",
                "porthole watch --interval 200ms --no-notify --for 90s --policy "
                    + Namespace.quote(policy.toString())
                    + " --webhook http://127.0.0.1:4390/hook --data-dir "
                    + d
                    + " > "
                    + d
                    + "/watch.out 2>&1 &",
                "w=$!",
                Namespace.until("grep -q '\"type\":\"quarantined\"' " + log + " 2>/dev/null"),
                "echo STATE=$(awk '{print $3}' /proc/$pid/stat)",
                connects + " && echo DURING=answers || echo DURING=dropped",
                "iptables-save | grep -c porthole: | sed 's/^/RULES=/'",
                "echo HOOK; grep '\"type\":\"quarantined\"' " + log,
                "echo LIST; porthole quarantine --list --data-dir " + d,
                "kill $w; wait $w",
                // The event's own action: the hook also saw this script (in the parents' command).
                "id=$(grep '\"type\":\"quarantined\"' "
                    + log
                    + " | grep -o 'quarantine release [0-9a-f]\\{8\\}' | head -1 | cut -d' ' -f3)",
                "echo RELEASE; porthole quarantine release $id --data-dir " + d,
                "echo STATE2=$(awk '{print $3}' /proc/$pid/stat)",
                connects + " && echo AFTER=answers || echo AFTER=dropped",
                "iptables-save | grep -c porthole: | sed 's/^/RULES2=/'",
                "echo EVENTS; porthole events --type quarantined --data-dir " + d,
                "echo WATCH; cat " + d + "/watch.out"));
    String out = run.out();
    assertThat(out)
        .as(run.err())
        .contains("BEFORE=answers")
        .contains("STATE=T")
        .contains("DURING=dropped")
        .contains("RULES=1")
        .contains("AFTER=answers")
        .contains("RULES2=0")
        .containsPattern("STATE2=[SR]")
        .containsPattern("released [0-9a-f]{8}: resumed PID \\d+ \\(socat\\); unblocked tcp/4300");
    // The body the webhook received (its process's parents hold this script, markers and all).
    String hookLine =
        out.lines()
            .filter(l -> l.startsWith("{") && l.contains("\"type\":\"quarantined\""))
            .findFirst()
            .orElse("");
    assertThat(hookLine)
        .as(out)
        .contains("\"type\":\"quarantined\"", "\"alert\":true", "\"port\":4300")
        .containsPattern("\"message\":\"quarantined [0-9a-f]{8}: socat \\(pid \\d+\\) is stopped")
        .containsPattern("\"action\":\"porthole quarantine release [0-9a-f]{8}\"");
    assertThat(between(out, "\nLIST\n", "\nRELEASE\n")).as(out).contains("socat", "tcp/4300");
    assertThat(between(out, "\nEVENTS\n", "\nWATCH\n")).as(out).contains("quarantined", "socat");
    // The watch's own output shows the violation and the quarantine, not only the webhook.
    assertThat(between(out, "\nWATCH\n", null))
        .as(out)
        .contains("unexpected listener tcp 127.0.0.1:4300")
        .containsPattern("quarantined [0-9a-f]{8}: socat");
  }

  private static String between(String out, String from, String to) {
    int start = out.indexOf(from);
    int end = to == null ? out.length() : out.indexOf(to, start + from.length());
    return start < 0 || end < 0 ? "" : out.substring(start, end);
  }
}
