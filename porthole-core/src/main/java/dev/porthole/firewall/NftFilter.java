package dev.porthole.firewall;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.porthole.checks.CommandRunner;
import dev.porthole.checks.FirewallRules;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Adds porthole's rules to nftables: at the head of the machine's own input base chain when it has
 * one (an accept elsewhere would not override its drop), else to a table of porthole's own, {@code
 * inet porthole}, which is deleted again once it is empty. Rules are found by their comment through
 * {@code nft -j list ruleset}.
 */
final class NftFilter implements PacketFilter {
  static final String OWN_TABLE = "porthole";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final CommandRunner runner;

  NftFilter(CommandRunner runner) {
    this.runner = runner;
  }

  /** Returns one base chain: family, table, name. */
  record Chain(String family, String table, String name) {}

  /** Returns one rule of porthole's: where it is and its handle. */
  record Tagged(Chain chain, String id, long handle) {}

  @Override
  public String name() {
    return "nft";
  }

  @Override
  public void insert(FirewallRule rule) {
    Chain chain = inputChain(ruleset());
    if (chain == null) {
      chain = new Chain("inet", OWN_TABLE, "input");
      run(List.of("nft", "add", "table", "inet", OWN_TABLE));
      run(
          List.of(
              "nft",
              "add",
              "chain",
              "inet",
              OWN_TABLE,
              "input",
              "{ type filter hook input priority -10; policy accept; }"));
    }
    List<String> command =
        new ArrayList<>(
            List.of("nft", "insert", "rule", chain.family(), chain.table(), chain.name()));
    if (rule.iface() != null) {
      command.addAll(List.of("iifname", "\"" + rule.iface() + "\""));
    }
    command.addAll(
        List.of(
            rule.protocol(),
            "dport",
            Integer.toString(rule.port()),
            rule.verdict(),
            "comment",
            "\"" + rule.comment() + "\""));
    run(command);
  }

  @Override
  public int remove(String id) {
    JsonNode ruleset = ruleset();
    int removed = 0;
    for (Tagged t : tagged(ruleset)) {
      if (t.id().equals(id)) {
        Chain c = t.chain();
        run(
            List.of(
                "nft",
                "delete",
                "rule",
                c.family(),
                c.table(),
                c.name(),
                "handle",
                Long.toString(t.handle())));
        removed++;
      }
    }
    if (removed > 0 && tagged(ruleset()).stream().noneMatch(t -> isOwn(t.chain()))) {
      // our own table holds nothing any more: leave no trace of porthole in the ruleset
      runner.run(List.of("nft", "delete", "table", "inet", OWN_TABLE));
    }
    return removed;
  }

  @Override
  public List<String> taggedIds() {
    Set<String> ids = new LinkedHashSet<>();
    tagged(ruleset()).forEach(t -> ids.add(t.id()));
    return List.copyOf(ids);
  }

  @Override
  public List<String> othersTouching(int port) {
    return FirewallRules.touching(runner, port);
  }

  /** Returns true when the machine has an input base chain of its own (not iptables-nft's). */
  static boolean hasOwnInputChain(CommandRunner runner) {
    CommandRunner.Output out = runner.run(List.of("nft", "-j", "list", "ruleset"));
    return out.ok() && inputChain(parse(out.stdout())) != null;
  }

  private static boolean isOwn(Chain c) {
    return c.family().equals("inet") && c.table().equals(OWN_TABLE);
  }

  /** Returns the first input base chain outside iptables-nft's tables and ours. */
  private static Chain inputChain(JsonNode ruleset) {
    for (JsonNode item : ruleset.path("nftables")) {
      JsonNode c = item.path("chain");
      if (!c.isObject() || !"input".equals(c.path("hook").asText())) {
        continue;
      }
      Chain chain =
          new Chain(c.path("family").asText(), c.path("table").asText(), c.path("name").asText());
      boolean iptables =
          (chain.family().equals("ip") || chain.family().equals("ip6"))
              && chain.table().matches("filter|nat|mangle|raw|security");
      if (!iptables && !isOwn(chain)) {
        return chain;
      }
    }
    return null;
  }

  private static List<Tagged> tagged(JsonNode ruleset) {
    List<Tagged> out = new ArrayList<>();
    for (JsonNode item : ruleset.path("nftables")) {
      JsonNode r = item.path("rule");
      String comment = r.path("comment").asText("");
      if (r.isObject() && comment.matches(FirewallRule.TAG + "[0-9a-f]{8}")) {
        Chain chain =
            new Chain(
                r.path("family").asText(), r.path("table").asText(), r.path("chain").asText());
        out.add(
            new Tagged(
                chain, comment.substring(FirewallRule.TAG.length()), r.path("handle").asLong()));
      }
    }
    return out;
  }

  private JsonNode ruleset() {
    return parse(run(List.of("nft", "-j", "list", "ruleset")));
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json.isBlank() ? "{}" : json);
    } catch (IOException e) {
      throw new FirewallException("nft -j list ruleset printed no JSON: " + e.getMessage());
    }
  }

  private String run(List<String> command) {
    CommandRunner.Output out = runner.run(command);
    if (!out.ok()) {
      throw new FirewallException(
          String.join(" ", command.subList(0, Math.min(3, command.size())))
              + " failed: "
              + IptablesFilter.firstLine(out));
    }
    return out.stdout();
  }
}
