package dev.porthole.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.porthole.firewall.FirewallRule;
import dev.porthole.text.Durations;
import dev.porthole.text.Numbers;
import java.time.Duration;

/**
 * Returns the body of {@code POST /api/firewall}, checked: {@code {"action":"allow"|"block",
 * "port":8080, "protocol":"tcp"|"udp", "interface":"lo", "for":"10m"}} or {@code "keep":true}
 * instead of {@code for}. Every bad field is a 400 with one line, in the CLI's words.
 *
 * @param rule the rule, with a fresh id
 * @param hold how long it stays; null when kept
 */
record FirewallRequest(FirewallRule rule, Duration hold) {
  static FirewallRequest parse(String body) {
    JsonNode node = RequestBodies.object(RequestBodies.parse(body), "firewall.Rule");
    try {
      String action = text(node, "action");
      String verdict =
          switch (action == null ? "" : action) {
            case "allow" -> "accept";
            case "block" -> "drop";
            default ->
                throw ApiError.badRequest("action: '" + action + "' (expected: allow or block)");
          };
      JsonNode portNode = node.get("port");
      if (portNode == null || portNode.isNull()) {
        throw ApiError.badRequest("port: required (1-65535)");
      }
      int port = Numbers.port(portNode.asText(), "port");
      String protocol = text(node, "protocol");
      String forText = text(node, "for");
      JsonNode keepNode = node.get("keep");
      boolean keep = keepNode != null && keepNode.asBoolean(false);
      if (keep == (forText != null)) {
        throw ApiError.badRequest(
            keep ? "for and keep: choose one" : "for is required (e.g. \"10m\"), or keep: true");
      }
      Duration hold = keep ? null : Durations.parsePositive(forText, "for");
      FirewallRule rule =
          FirewallRule.create(
              verdict, protocol == null ? "tcp" : protocol, port, text(node, "interface"));
      return new FirewallRequest(rule, hold);
    } catch (ApiError e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(e.getMessage().replace("--interface", "interface"));
    }
  }

  private static String text(JsonNode node, String field) {
    return RequestBodies.string(node, "firewall.Rule", field);
  }
}
