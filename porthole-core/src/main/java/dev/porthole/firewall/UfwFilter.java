package dev.porthole.firewall;

import dev.porthole.checks.CommandRunner;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Adds porthole's rules through ufw when ufw manages the machine, so that they show in {@code ufw
 * status} and survive ufw's own reloads: {@code ufw prepend} (ahead of the user's rules, for IPv4
 * and IPv6 at once) with the tag as the rule's comment, removed by number from {@code ufw status
 * numbered}, highest first.
 */
final class UfwFilter implements PacketFilter {
  private static final Pattern TAGGED = Pattern.compile("# porthole:([0-9a-f]{8})\\s*$");
  private static final Pattern NUMBERED =
      Pattern.compile("^\\[\\s*(\\d+)\\].*# porthole:([0-9a-f]{8})\\s*$");

  private final CommandRunner runner;

  UfwFilter(CommandRunner runner) {
    this.runner = runner;
  }

  /** Returns true when ufw is installed and active: then it is in charge of the rules. */
  static boolean active(CommandRunner runner) {
    CommandRunner.Output out = runner.run(List.of("ufw", "status"));
    return out.ok() && out.stdout().lines().anyMatch(l -> l.strip().equals("Status: active"));
  }

  @Override
  public String name() {
    return "ufw";
  }

  @Override
  public void insert(FirewallRule rule) {
    List<String> command =
        new ArrayList<>(
            List.of("ufw", "prepend", rule.verdict().equals("accept") ? "allow" : "deny"));
    if (rule.iface() != null) {
      command.addAll(List.of("in", "on", rule.iface()));
    }
    command.addAll(
        List.of(
            "proto",
            rule.protocol(),
            "to",
            "any",
            "port",
            Integer.toString(rule.port()),
            "comment",
            rule.comment()));
    CommandRunner.Output out = runner.run(command);
    if (!out.ok()) {
      remove(rule.id()); // one family's half, if it went in
      throw new FirewallException("ufw prepend failed: " + IptablesFilter.firstLine(out));
    }
  }

  @Override
  public int remove(String id) {
    List<Integer> numbers = new ArrayList<>();
    for (String line : status(true)) {
      Matcher m = NUMBERED.matcher(line.strip());
      if (m.find() && m.group(2).equals(id)) {
        numbers.add(0, Integer.parseInt(m.group(1))); // highest first: numbers shift on delete
      }
    }
    for (int n : numbers) {
      CommandRunner.Output out =
          runner.run(List.of("ufw", "--force", "delete", Integer.toString(n)));
      if (!out.ok()) {
        throw new FirewallException(
            "ufw delete " + n + " failed: " + IptablesFilter.firstLine(out));
      }
    }
    return numbers.size();
  }

  @Override
  public List<String> taggedIds() {
    Set<String> ids = new LinkedHashSet<>();
    for (String line : status(false)) {
      Matcher m = TAGGED.matcher(line);
      if (m.find()) {
        ids.add(m.group(1));
      }
    }
    return List.copyOf(ids);
  }

  @Override
  public List<String> othersTouching(int port) {
    Pattern mentions = Pattern.compile("(^|[^0-9])" + port + "([/ :,]|$)");
    List<String> others = new ArrayList<>();
    for (String line : status(false)) {
      if (!TAGGED.matcher(line).find() && mentions.matcher(line).find()) {
        others.add("ufw: " + line.strip().replaceAll("\\s{2,}", "  "));
      }
    }
    return others;
  }

  private List<String> status(boolean numbered) {
    CommandRunner.Output out =
        runner.run(numbered ? List.of("ufw", "status", "numbered") : List.of("ufw", "status"));
    if (!out.ok()) {
      throw new FirewallException("ufw status failed: " + IptablesFilter.firstLine(out));
    }
    return out.stdout().lines().toList();
  }
}
