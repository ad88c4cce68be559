package dev.porthole.attribution;

import java.util.List;

/**
 * One DNAT rule of the nat table, as {@code iptables-save -t nat} prints it: traffic to {@code
 * address:port} goes to {@code toAddress:toPort}. Docker writes one per published port when its
 * userland proxy is off; then no host socket exists and only this rule answers.
 *
 * @param protocol "tcp" or "udp"
 * @param address the destination the rule matches ({@code -d}, without "/32"), or null for any
 * @param port the destination port ({@code --dport})
 * @param toAddress where it sends the traffic ({@code --to-destination})
 * @param toPort the port there; the same as {@code port} when the rule leaves it out
 * @param chain the chain that holds the rule ({@code DOCKER} for Docker's)
 * @param rule the rule as the packet filter printed it
 */
public record DnatRule(
    String protocol,
    String address,
    int port,
    String toAddress,
    int toPort,
    String chain,
    String rule) {

  /** Returns the DNAT rule {@code line} holds, or null when it is another line or kind of rule. */
  public static DnatRule parse(String line) {
    List<String> words = List.of(line.strip().split("\\s+"));
    if (words.size() < 4 || !words.getFirst().equals("-A") || !words.contains("DNAT")) {
      return null;
    }
    String protocol = after(words, "-p");
    String dport = after(words, "--dport");
    String to = after(words, "--to-destination");
    if (protocol == null || dport == null || to == null || words.contains("!")) {
      return null; // a negated match or a port range is not one published port
    }
    int port = Argv.port(dport);
    int colon = to.lastIndexOf(':');
    String toAddress = colon < 0 ? to : to.substring(0, colon);
    int toPort = colon < 0 ? port : Argv.port(to.substring(colon + 1));
    if (port <= 0 || toPort <= 0) {
      return null;
    }
    String address = after(words, "-d");
    if (address != null && address.endsWith("/32")) {
      address = address.substring(0, address.length() - 3);
    }
    return new DnatRule(protocol, address, port, toAddress, toPort, words.get(1), line.strip());
  }

  private static String after(List<String> words, String flag) {
    int i = words.indexOf(flag);
    return i < 0 || i + 1 >= words.size() ? null : words.get(i + 1);
  }
}
