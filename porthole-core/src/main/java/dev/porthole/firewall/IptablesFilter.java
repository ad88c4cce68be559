package dev.porthole.firewall;

import dev.porthole.checks.CommandRunner;
import dev.porthole.checks.FirewallRules;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Adds porthole's rules to the INPUT chain of iptables and ip6tables (both, when IPv6 is there), at
 * position 1 so they come before the machine's own rules, and removes them by their comment.
 */
final class IptablesFilter implements PacketFilter {
  private static final Pattern TAGGED = Pattern.compile("porthole:([0-9a-f]{8})");
  private static final Pattern NUMBERED =
      Pattern.compile("^(\\d+)\\s.*/\\* porthole:([0-9a-f]{8}) \\*/");

  private final CommandRunner runner;
  private final List<String> tools;

  IptablesFilter(CommandRunner runner) {
    this.runner = runner;
    List<String> usable = new ArrayList<>(List.of("iptables"));
    if (runner.run(List.of("ip6tables", "-w", "-S", "INPUT")).ok()) {
      usable.add("ip6tables");
    }
    this.tools = List.copyOf(usable);
  }

  @Override
  public String name() {
    return "iptables";
  }

  @Override
  public void insert(FirewallRule rule) {
    for (String tool : tools) {
      List<String> command =
          new ArrayList<>(
              List.of(
                  tool,
                  "-w",
                  "-I",
                  "INPUT",
                  "1",
                  "-p",
                  rule.protocol(),
                  "--dport",
                  Integer.toString(rule.port())));
      if (rule.iface() != null) {
        command.addAll(List.of("-i", rule.iface()));
      }
      command.addAll(
          List.of(
              "-m",
              "comment",
              "--comment",
              rule.comment(),
              "-j",
              rule.verdict().equals("accept") ? "ACCEPT" : "DROP"));
      CommandRunner.Output out = runner.run(command);
      if (!out.ok()) {
        remove(rule.id()); // the other family's half, if it went in
        throw new FirewallException(tool + " -I INPUT failed: " + firstLine(out));
      }
    }
  }

  @Override
  public int remove(String id) {
    int removed = 0;
    for (String tool : tools) {
      CommandRunner.Output list =
          runner.run(List.of(tool, "-w", "-L", "INPUT", "-n", "--line-numbers"));
      List<Integer> numbers = new ArrayList<>();
      for (String line : list.stdout().split("\\R")) {
        Matcher m = NUMBERED.matcher(line);
        if (m.find() && m.group(2).equals(id)) {
          numbers.add(0, Integer.parseInt(m.group(1))); // highest first: numbers shift on delete
        }
      }
      for (int n : numbers) {
        CommandRunner.Output out =
            runner.run(List.of(tool, "-w", "-D", "INPUT", Integer.toString(n)));
        if (!out.ok()) {
          throw new FirewallException(tool + " -D INPUT " + n + " failed: " + firstLine(out));
        }
        removed++;
      }
    }
    return removed;
  }

  @Override
  public List<String> taggedIds() {
    Set<String> ids = new LinkedHashSet<>();
    for (String tool : tools) {
      Matcher m = TAGGED.matcher(runner.run(List.of(tool, "-w", "-S", "INPUT")).stdout());
      while (m.find()) {
        ids.add(m.group(1));
      }
    }
    return List.copyOf(ids);
  }

  @Override
  public List<String> othersTouching(int port) {
    return FirewallRules.touching(runner, port);
  }

  static String firstLine(CommandRunner.Output out) {
    String text = out.stderr().isBlank() ? out.stdout() : out.stderr();
    String line = text.lines().findFirst().orElse("").strip();
    return line.isEmpty() ? "exit code " + out.exitCode() : line;
  }
}
