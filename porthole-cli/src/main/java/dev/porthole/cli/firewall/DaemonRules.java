package dev.porthole.cli.firewall;

import com.fasterxml.jackson.databind.JsonNode;
import dev.porthole.cli.CliException;
import dev.porthole.cli.DaemonClient;
import dev.porthole.cli.DaemonUrl;
import dev.porthole.firewall.FirewallLedger;
import dev.porthole.firewall.FirewallRule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Returns the firewall commands' way to a running daemon ({@code /api/firewall}), which holds the
 * rules' timers so the command returns at once. Without a daemon at the default URL the commands
 * work in the foreground as before; a daemon named with {@code --url} or {@code PORTHOLE_URL} that
 * does not answer is an error (exit 3).
 */
final class DaemonRules {
  private final DaemonClient client;

  private DaemonRules(DaemonClient client) {
    this.client = client;
  }

  /** Returns the daemon to hand rules to, or empty when none runs at the default URL. */
  static Optional<DaemonRules> find(String url, Path dataDir) {
    String base = DaemonUrl.resolve(url);
    if (DaemonUrl.running(base)) {
      return Optional.of(new DaemonRules(DaemonClient.at(url, dataDir)));
    }
    if (DaemonUrl.explicit(url)) {
      throw CliException.failure("no porthole daemon at " + base + " (start one: porthole up)");
    }
    return Optional.empty();
  }

  /** Returns the daemon's URL. */
  String url() {
    return client.baseUrl();
  }

  /**
   * Returns a rule the daemon added.
   *
   * @param expiresMs when the daemon removes it, epoch ms; null when kept
   */
  record Added(String id, String rule, String filter, Long expiresMs) {}

  /**
   * Returns what the daemon added for {@code rule} and {@code hold} (null: kept), or empty when the
   * daemon may not change packet filter rules (it does not run as root).
   */
  Optional<Added> add(FirewallRule rule, Duration hold) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("action", rule.verdict().equals("accept") ? "allow" : "block");
    body.put("port", rule.port());
    body.put("protocol", rule.protocol());
    if (rule.iface() != null) {
      body.put("interface", rule.iface());
    }
    if (hold == null) {
      body.put("keep", true);
    } else {
      body.put("for", hold.toMillis() + "ms");
    }
    try {
      JsonNode a = client.send("POST", "/api/firewall", body);
      return Optional.of(
          new Added(
              a.path("id").asText(),
              a.path("rule").asText(),
              a.path("filter").asText(),
              a.path("expiresMs").isNumber() ? a.get("expiresMs").asLong() : null));
    } catch (CliException e) {
      if (e.getMessage().contains("CAP_NET_ADMIN")) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Returns the daemon's list of porthole's rules in force. */
  List<FirewallLedger.Entry> list() {
    List<FirewallLedger.Entry> open = new ArrayList<>();
    for (JsonNode r : client.get("/api/firewall").path("rules")) {
      open.add(entry(r));
    }
    return open;
  }

  private static FirewallLedger.Entry entry(JsonNode r) {
    FirewallRule rule =
        new FirewallRule(
            r.path("id").asText(),
            r.path("verdict").asText(),
            r.path("protocol").asText(),
            r.path("port").asInt(),
            r.hasNonNull("interface") ? r.get("interface").asText() : null);
    return new FirewallLedger.Entry(
        rule,
        r.path("filter").asText(),
        0,
        r.hasNonNull("expiresMs") ? r.get("expiresMs").asLong() : null,
        r.hasNonNull("holderPid") ? r.get("holderPid").asLong() : null,
        null,
        r.path("reason").asText(),
        null);
  }

  /**
   * Removes rule {@code id} through the daemon and returns what it was ("accept tcp 8080"); exit 1
   * when it has no such rule in force.
   */
  String remove(String id) {
    return client.send("DELETE", "/api/firewall/" + id, null).path("rule").asText();
  }
}
