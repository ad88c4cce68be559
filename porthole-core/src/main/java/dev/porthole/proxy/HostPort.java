package dev.porthole.proxy;

import dev.porthole.text.Numbers;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Returns a {@code host:port} string taken apart, the way Toxiproxy reads {@code listen} and {@code
 * upstream} ({@code "127.0.0.1:8080"}, {@code "[::1]:0"}, {@code "localhost:0"}, {@code ":0"}).
 *
 * @param host the host part, empty when none was given
 * @param port the port, 0..65535
 */
public record HostPort(String host, int port) {
  /** Returns {@code text} taken apart; {@code field} names it in the error ("listen"). */
  public static HostPort parse(String field, String text) {
    int colon = text.lastIndexOf(':');
    if (colon < 0) {
      throw ProxyException.bad(field + " " + text + ": missing port in address");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw ProxyException.bad(field + " " + text + ": too many colons in address");
    }
    String port = text.substring(colon + 1);
    int p;
    try {
      // ASCII digits only: Integer.parseInt would read "٨٠٠٠" as 8000; Go's parser does not.
      p = port.isBlank() || !port.equals(port.strip()) ? -1 : Numbers.portOrZero(port, field);
    } catch (IllegalArgumentException e) {
      p = -1;
    }
    if (p < 0) {
      throw ProxyException.bad(field + " " + text + ": invalid port");
    }
    return new HostPort(host, p);
  }

  /** Returns the socket address to bind: an empty host means loopback (Toxiproxy: all). */
  public InetSocketAddress resolve(String field) {
    if (host.isEmpty()) {
      return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw ProxyException.bad(
          field + " " + host + ":" + port + ": lookup " + host + ": no such host");
    }
  }

  /** Returns Go's numeric form of an address: {@code 127.0.0.1:80}, {@code [::1]:80}. */
  public static String format(InetSocketAddress a) {
    InetAddress ip = a.getAddress();
    if (ip == null) {
      return a.getHostString() + ":" + a.getPort();
    }
    String h = ip.getHostAddress();
    if (ip instanceof Inet6Address) {
      int zone = h.indexOf('%');
      h = "[" + compress(zone < 0 ? h : h.substring(0, zone)) + "]";
    }
    return h + ":" + a.getPort();
  }

  /** Returns an IPv6 literal in its shortest form ({@code 0:0:0:0:0:0:0:1} gives {@code ::1}). */
  static String compress(String full) {
    String s = ":" + full + ":";
    String best = null;
    for (int n = 8; n >= 2 && best == null; n--) {
      String zeros = ":" + "0:".repeat(n);
      if (s.contains(zeros)) {
        best = zeros;
      }
    }
    if (best == null) {
      return full;
    }
    String out = s.replaceFirst(java.util.regex.Pattern.quote(best), "::");
    if (out.startsWith(":") && !out.startsWith("::")) {
      out = out.substring(1);
    }
    if (out.endsWith(":") && !out.endsWith("::")) {
      out = out.substring(0, out.length() - 1);
    }
    return out;
  }
}
