package dev.porthole.ports;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;

/** Returns addresses as people read them: {@code ::1}, not {@code 0:0:0:0:0:0:0:1}. */
public final class Addresses {
  private Addresses() {}

  /** Returns an address as text: IPv6 compressed ("::1"), never with a host name. */
  public static String text(InetAddress address) {
    String s = address.getHostAddress();
    if (address instanceof Inet6Address) {
      s = s.replaceFirst("%.*$", "");
      if (s.equals("0:0:0:0:0:0:0:1")) {
        return "::1";
      }
      if (s.equals("0:0:0:0:0:0:0:0")) {
        return "::";
      }
      // Compress the longest run of zero groups, as ip(8) and ss(8) print it.
      String[] groups =
          Arrays.stream(s.split(":"))
              .map(g -> g.replaceFirst("^0+(?=.)", ""))
              .toArray(String[]::new);
      return compress(groups);
    }
    return s;
  }

  private static String compress(String[] groups) {
    int bestStart = -1;
    int bestLen = 0;
    for (int i = 0; i < groups.length; ) {
      int j = i;
      while (j < groups.length && groups[j].equals("0")) {
        j++;
      }
      if (j - i > bestLen && j - i > 1) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    if (bestStart < 0) {
      return String.join(":", groups);
    }
    String head = String.join(":", Arrays.copyOfRange(groups, 0, bestStart));
    String tail = String.join(":", Arrays.copyOfRange(groups, bestStart + bestLen, groups.length));
    return head + "::" + tail;
  }
}
