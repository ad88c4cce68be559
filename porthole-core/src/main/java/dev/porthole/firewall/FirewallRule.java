package dev.porthole.firewall;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One packet filter rule porthole adds: accept or drop traffic to a local port, tagged with a rule
 * comment {@code porthole:ID} so porthole finds it again and never mistakes another rule for its
 * own.
 *
 * @param id 8 hex digits, unique per rule
 * @param verdict {@code accept} or {@code drop}
 * @param protocol {@code tcp} or {@code udp}
 * @param port the destination port, 1-65535
 * @param iface the input interface ({@code lo}), or null for every interface
 */
public record FirewallRule(String id, String verdict, String protocol, int port, String iface) {
  /** The prefix of every comment porthole puts on a rule. */
  public static final String TAG = "porthole:";

  private static final Pattern ID = Pattern.compile("[0-9a-f]{8}");
  private static final Pattern IFACE = Pattern.compile("[A-Za-z0-9._-]{1,15}");
  private static final SecureRandom RANDOM = new SecureRandom();

  public FirewallRule {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("id: '" + id + "' (expected: 8 hex digits)");
    }
    verdict = verdict == null ? "" : verdict.toLowerCase(Locale.ROOT);
    if (!verdict.equals("accept") && !verdict.equals("drop")) {
      throw new IllegalArgumentException("verdict: '" + verdict + "' (expected: accept or drop)");
    }
    if (!"tcp".equals(protocol) && !"udp".equals(protocol)) {
      throw new IllegalArgumentException("protocol: '" + protocol + "' (expected: tcp or udp)");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
    }
    if (iface != null && !IFACE.matcher(iface).matches()) {
      throw new IllegalArgumentException(
          "--interface: '" + iface + "' (expected: an interface name such as lo)");
    }
  }

  /** Returns a rule with a fresh random id. */
  public static FirewallRule create(String verdict, String protocol, int port, String iface) {
    byte[] b = new byte[4];
    RANDOM.nextBytes(b);
    return new FirewallRule(HexFormat.of().formatHex(b), verdict, protocol, port, iface);
  }

  /** Returns the rule's comment: {@code porthole:ID}. */
  public String comment() {
    return TAG + id;
  }

  /** Returns "accept tcp 62893 on lo" for messages. */
  public String describe() {
    return verdict + " " + protocol + " " + port + (iface == null ? "" : " on " + iface);
  }
}
