package dev.porthole.server;

import dev.porthole.text.Numbers;
import java.util.Locale;

/**
 * Returns whether a Host header or an Origin names this machine's loopback without asking DNS.
 *
 * <p>Accepted: {@code localhost}, any {@code *.localhost}, IPv4 literals of 127.0.0.0/8 and {@code
 * ::1} (bracketed or not). A name is never resolved: resolving it is what DNS rebinding abuses.
 */
final class LoopbackNames {
  private LoopbackNames() {}

  /** Returns the host part of a Host header value ({@code "[::1]:80"} gives {@code "::1"}). */
  static String hostOf(String hostHeader) {
    String h = hostHeader.strip();
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? h : h.substring(1, end);
    }
    int colon = h.indexOf(':');
    if (colon >= 0 && h.indexOf(':', colon + 1) < 0) {
      return h.substring(0, colon);
    }
    return h;
  }

  /** Returns the port of a Host header value, or -1 if none (or no number) is given. */
  static int portOf(String hostHeader) {
    String h = hostHeader.strip();
    int colon;
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      if (end < 0 || end + 1 >= h.length() || h.charAt(end + 1) != ':') {
        return -1;
      }
      colon = end + 1;
    } else {
      colon = h.indexOf(':');
      if (colon < 0 || h.indexOf(':', colon + 1) >= 0) {
        return -1;
      }
    }
    try {
      return Numbers.portOrZero(h.substring(colon + 1), "port");
    } catch (IllegalArgumentException e) {
      return -1; // ASCII digits only: "٨٠" in a Host header is no port 80
    }
  }

  /** Returns true if {@code host} (no port) is a loopback name or literal. */
  static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    if (h.equals("localhost") || h.endsWith(".localhost")) {
      return true;
    }
    if (h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")) {
      return true;
    }
    String[] parts = h.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return false;
      }
      if (Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return parts[0].equals("127");
  }
}
