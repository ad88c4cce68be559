package dev.porthole.checks;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Returns the packet filter rules that drop or reject traffic to loopback, read from {@code
 * iptables-save}, {@code ip6tables-save} and {@code nft list ruleset}.
 *
 * @param rules the matching candidates, each as "tool: rule text"
 * @param notes why a source could not be read ("nft is not installed"), one per source
 * @param readable whether at least one source could be read
 */
public record FirewallRules(List<String> rules, List<String> notes, boolean readable) {
  private static final Pattern IPT_PORTS = Pattern.compile("--dports? (\\S+)");
  private static final Pattern NFT_PORTS = Pattern.compile("dport (\\{[^}]*}|\\S+)");
  private static final Pattern IPT_IFACE = Pattern.compile("-[io] (\\S+)");
  private static final Pattern NFT_IFACE = Pattern.compile("[io]if(?:name)? \"?([^\"\\s]+)\"?");
  private static final Pattern VERDICT = Pattern.compile("(^|\\s)(drop|reject)(\\s|$)");
  private static final Pattern IPTABLES_TABLE =
      Pattern.compile("table ip6? (filter|nat|mangle|raw|security) \\{");
  private static final Pattern ADDRESS = Pattern.compile("(?:-[sd]|[sd]addr) (\\S+)");

  /** Returns the rules that drop or reject loopback traffic to {@code port} (0: any port). */
  public static FirewallRules read(CommandRunner runner, int port) {
    List<String> rules = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    boolean readable = false;
    boolean iptablesNft = false;
    for (List<String> command :
        List.of(
            List.of("iptables-save"),
            List.of("ip6tables-save"),
            List.of("nft", "list", "ruleset"))) {
      CommandRunner.Output out = runner.run(command);
      String tool = command.get(0);
      if (!out.ok()) {
        String why =
            out.stderr().isBlank()
                ? "it exited with " + out.exitCode()
                : out.stderr().lines().findFirst().orElse("");
        notes.add(why.startsWith(tool) ? why : tool + ": " + why);
        continue;
      }
      readable = true;
      // iptables-nft keeps its rules in nftables too; list each rule once, as iptables shows it.
      iptablesNft |= !tool.equals("nft") && out.stdout().contains("(nf_tables)");
      matching(tool, out.stdout(), port, tool.equals("nft") && iptablesNft, rules);
    }
    return new FirewallRules(List.copyOf(rules), List.copyOf(notes), readable);
  }

  /**
   * Returns every rule, whatever its verdict and interface, that names {@code port} as its
   * destination port, except porthole's own (a comment starting {@code porthole:}): the rules
   * {@code firewall list} shows beside porthole's.
   */
  public static List<String> touching(CommandRunner runner, int port) {
    List<String> rules = new ArrayList<>();
    boolean iptablesNft = false;
    for (List<String> command :
        List.of(
            List.of("iptables-save"),
            List.of("ip6tables-save"),
            List.of("nft", "list", "ruleset"))) {
      CommandRunner.Output out = runner.run(command);
      String tool = command.get(0);
      if (!out.ok()) {
        continue;
      }
      iptablesNft |= !tool.equals("nft") && out.stdout().contains("(nf_tables)");
      boolean nft = tool.equals("nft");
      boolean skip = false;
      for (String line : out.stdout().split("\\R")) {
        String rule = line.strip();
        if (rule.startsWith("table ")) {
          skip = nft && iptablesNft && IPTABLES_TABLE.matcher(rule).matches();
        }
        boolean candidate = nft ? rule.contains("dport ") : rule.startsWith("-A ");
        Pattern ports = nft ? NFT_PORTS : IPT_PORTS;
        if (!skip
            && candidate
            && !rule.contains("porthole:")
            && ports.matcher(rule).find()
            && portMatches(ports, rule, port)) {
          rules.add(tool + ": " + rule);
        }
      }
    }
    return List.copyOf(rules);
  }

  private static void matching(
      String tool, String output, int port, boolean skipIptablesTables, List<String> rules) {
    boolean skip = false;
    for (String line : output.split("\\R")) {
      String rule = line.strip();
      if (rule.startsWith("table ")) {
        skip = skipIptablesTables && IPTABLES_TABLE.matcher(rule).matches();
      }
      boolean nft = tool.equals("nft");
      if (!skip && (nft ? nftMatches(rule, port) : iptablesMatches(rule, port))) {
        rules.add(tool + ": " + rule);
      }
    }
  }

  static boolean iptablesMatches(String rule, int port) {
    if (!rule.startsWith("-A ") || !(rule.contains("-j DROP") || rule.contains("-j REJECT"))) {
      return false;
    }
    return loopbackScope(rule, IPT_IFACE) && portMatches(IPT_PORTS, rule, port);
  }

  static boolean nftMatches(String rule, int port) {
    if (!VERDICT.matcher(rule).find()) {
      return false;
    }
    if (rule.startsWith("type ") || rule.startsWith("policy") || rule.startsWith("chain ")) {
      return false;
    }
    return loopbackScope(rule, NFT_IFACE) && portMatches(NFT_PORTS, rule, port);
  }

  /** Returns false when the rule is limited to another interface or a non-loopback address. */
  private static boolean loopbackScope(String rule, Pattern iface) {
    Matcher m = iface.matcher(rule);
    while (m.find()) {
      if (!m.group(1).equals("lo")) {
        return false;
      }
    }
    Matcher a = ADDRESS.matcher(rule);
    while (a.find()) {
      String addr = a.group(1);
      if (!addr.startsWith("127.") && !addr.startsWith("::1")) {
        return false;
      }
    }
    return true;
  }

  private static boolean portMatches(Pattern ports, String rule, int port) {
    Matcher m = ports.matcher(rule);
    if (!m.find() || port == 0) {
      return true;
    }
    for (String part : m.group(1).replaceAll("[{}\\s]", "").split(",")) {
      String[] range = part.split("[:-]");
      try {
        int lo = Integer.parseInt(range[0]);
        int hi = range.length > 1 ? Integer.parseInt(range[1]) : lo;
        if (port >= lo && port <= hi) {
          return true;
        }
      } catch (NumberFormatException e) {
        return true; // a named service or set: cannot tell, so show it
      }
    }
    return false;
  }
}
