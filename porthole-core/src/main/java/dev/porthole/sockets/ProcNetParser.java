package dev.porthole.sockets;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the text of {@code /proc/net/tcp}, {@code tcp6}, {@code udp} and {@code udp6}.
 *
 * <p>Columns (whitespace-separated): {@code sl local_address rem_address st tx:rx tr:when retrnsmt
 * uid timeout inode ...}. Addresses are hex words in the kernel's byte order, ports big-endian hex.
 * A line that does not fit is counted in {@link Result#skipped()} with the first reason kept, so a
 * kernel format change shows up instead of silently shrinking the answer (OSHI turns such fields
 * into zeros).
 */
public final class ProcNetParser {
  private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

  /** Returns the sockets parsed from one file, and what was skipped. */
  public record Result(List<SocketEntry> entries, int skipped, String firstProblem) {}

  private ProcNetParser() {}

  /** Parses one file's text; the header line is recognised and not counted as skipped. */
  public static Result parse(CharSequence text, Protocol protocol, boolean ipv6) {
    return parse(text, protocol, ipv6, LineFilter.ALL);
  }

  /**
   * Parses only the lines {@code quick} accepts. Their local port and state are read in place
   * first, so "who holds 62893" skips 10,000 other sockets without building them. Skipped lines are
   * not validated; a line whose port or state cannot be read is parsed in full, so it is still
   * counted when malformed.
   */
  public static Result parse(CharSequence text, Protocol protocol, boolean ipv6, LineFilter quick) {
    List<SocketEntry> entries = new ArrayList<>();
    int skipped = 0;
    String firstProblem = null;
    int lineNo = 0;
    int start = 0;
    // One String, so line ends are found by String.indexOf (an intrinsic) not charAt calls.
    String all = text.toString();
    int length = all.length();
    String[] fields = new String[10];
    while (start < length) {
      int end = all.indexOf('\n', start);
      end = end < 0 ? length : end;
      int lineStart = start;
      start = end + 1;
      lineNo++;
      // The port is read in place, so a line on another port costs no copy.
      if (lineNo > 1
          && quick != LineFilter.ALL
          && skip(all, lineStart, end, protocol, ipv6, quick)) {
        continue;
      }
      String line = all.substring(lineStart, end);
      if (line.isBlank() || (lineNo == 1 && line.stripLeading().startsWith("sl"))) {
        continue;
      }
      try {
        entries.add(parseLine(line, fields, protocol, ipv6));
      } catch (IllegalArgumentException e) {
        skipped++;
        if (firstProblem == null) {
          firstProblem = "line " + lineNo + ": " + e.getMessage();
        }
      }
    }
    return new Result(entries, skipped, firstProblem);
  }

  /**
   * Returns true when the line in {@code all[from, to)} is well-formed and {@code quick} rejects
   * it.
   */
  private static boolean skip(
      String all, int from, int to, Protocol protocol, boolean ipv6, LineFilter quick) {
    int colon = all.indexOf(':', from); // after "sl"
    if (colon < 0 || colon >= to) {
      return false;
    }
    int hexLength = ipv6 ? 32 : 8;
    int local = skipBlanks(all, colon + 1, to);
    int portStart = local + hexLength + 1;
    int remote = skipBlanks(all, portStart + 4, to);
    int st = skipBlanks(all, remote + hexLength + 5, to);
    if (st + 2 > to || all.charAt(portStart - 1) != ':') {
      return false;
    }
    int port = hexAt(all, portStart, 4);
    int code = hexAt(all, st, 2);
    SocketState state = code < 0 ? null : SocketState.fromKernel(protocol, code);
    return port >= 0 && state != null && !quick.test(port, state);
  }

  private static int skipBlanks(String s, int i, int to) {
    while (i < to && s.charAt(i) == ' ') {
      i++;
    }
    return i;
  }

  /** Returns the {@code n} hex digits at {@code from} as a number, or -1. */
  private static int hexAt(String s, int from, int n) {
    int value = 0;
    for (int k = from; k < from + n; k++) {
      int d = Character.digit(s.charAt(k), 16);
      if (d < 0) {
        return -1;
      }
      value = value << 4 | d;
    }
    return value;
  }

  private static SocketEntry parseLine(
      String line, String[] fields, Protocol protocol, boolean ipv6) {
    int n = split(line, fields);
    if (n < fields.length) {
      throw new IllegalArgumentException("truncated (" + n + " of 10 columns)");
    }
    int[] localPort = new int[1];
    int[] remotePort = new int[1];
    InetAddress local = address(fields[1], ipv6, localPort);
    InetAddress remote = address(fields[2], ipv6, remotePort);
    int code = hex(fields[3], "st");
    SocketState state = SocketState.fromKernel(protocol, code);
    if (state == null) {
      throw new IllegalArgumentException("unknown state " + fields[3]);
    }
    int uid = decimal(fields[7], "uid");
    long inode = Long.parseLong(checkDigits(fields[9], "inode"));
    return new SocketEntry(
        protocol, ipv6, local, localPort[0], remote, remotePort[0], state, uid, inode);
  }

  /** Splits on runs of blanks into {@code out}; returns how many fields were filled. */
  private static int split(String line, String[] out) {
    int n = 0;
    int i = 0;
    int len = line.length();
    while (n < out.length) {
      while (i < len && line.charAt(i) <= ' ') {
        i++;
      }
      if (i >= len) {
        break;
      }
      int s = i;
      while (i < len && line.charAt(i) > ' ') {
        i++;
      }
      out[n++] = line.substring(s, i);
    }
    return n;
  }

  private static InetAddress address(String field, boolean ipv6, int[] portOut) {
    int colon = field.indexOf(':');
    int hexLength = ipv6 ? 32 : 8;
    if (colon != hexLength || field.length() != hexLength + 5) {
      throw new IllegalArgumentException("bad address " + field);
    }
    portOut[0] = hex(field.substring(colon + 1), "port");
    byte[] bytes = new byte[hexLength / 2];
    // The kernel prints each 32-bit word of the address in host byte order.
    for (int word = 0; word < bytes.length / 4; word++) {
      for (int b = 0; b < 4; b++) {
        int pos = word * 8 + b * 2;
        int value = hexDigit(field.charAt(pos)) << 4 | hexDigit(field.charAt(pos + 1));
        int index = word * 4 + (LITTLE_ENDIAN ? 3 - b : b);
        bytes[index] = (byte) value;
      }
    }
    try {
      // Java turns IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) into Inet4Address by itself.
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("bad address " + field, e);
    }
  }

  private static int hex(String s, String what) {
    if (s.isEmpty() || s.length() > 8) {
      throw new IllegalArgumentException("bad " + what + " " + s);
    }
    int v = 0;
    for (int i = 0; i < s.length(); i++) {
      v = v << 4 | hexDigit(s.charAt(i));
    }
    return v;
  }

  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    throw new IllegalArgumentException("not hex: '" + c + "'");
  }

  private static int decimal(String s, String what) {
    return Integer.parseInt(checkDigits(s, what));
  }

  private static String checkDigits(String s, String what) {
    if (s.isEmpty() || s.length() > 18) {
      throw new IllegalArgumentException("bad " + what + " " + s);
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        throw new IllegalArgumentException("bad " + what + " " + s);
      }
    }
    return s;
  }
}
