package dev.porthole.sockets;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Returns an address parsed from an IP literal, never from DNS (InetAddress.ofLiteral is 22+). */
public final class IpLiteral {
  private IpLiteral() {}

  /**
   * Returns the address {@code text} spells ({@code 127.0.0.1}, {@code ::1}, {@code [::1]}).
   *
   * @throws IllegalArgumentException when {@code text} is not an IPv4 or IPv6 literal
   */
  public static InetAddress parse(String text) {
    String s =
        text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    boolean v6 = s.indexOf(':') >= 0;
    boolean ok = !s.isEmpty();
    for (int i = 0; i < s.length() && ok; i++) {
      char c = s.charAt(i);
      // getByName would resolve anything else through DNS; a literal holds only these.
      ok =
          (c >= '0' && c <= '9')
              || c == '.'
              || (v6 && (c == ':' || c == '%' || Character.digit(c, 16) >= 0));
    }
    if (ok && !v6 && s.chars().filter(c -> c == '.').count() != 3) {
      ok = false;
    }
    if (ok) {
      try {
        return InetAddress.getByName(s);
      } catch (UnknownHostException e) {
        // falls through to the common message
      }
    }
    throw new IllegalArgumentException("not an IP address: '" + text + "'");
  }

  /**
   * Returns {@code address} as people write it: {@code 127.0.0.1}, {@code ::1}, {@code fe80::1}
   * (zero runs compressed, no zone), where Java would print {@code 0:0:0:0:0:0:0:1}.
   */
  public static String format(InetAddress address) {
    byte[] b = address.getAddress();
    if (b.length == 4) {
      return address.getHostAddress();
    }
    int[] words = new int[8];
    for (int i = 0; i < 8; i++) {
      words[i] = (b[2 * i] & 0xff) << 8 | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1; // RFC 5952: never compress a single zero word
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && words[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLength - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(words[i]));
    }
    return sb.toString();
  }
}
