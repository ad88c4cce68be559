package dev.porthole.sockets;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Parses the text of {@code /proc/net/tcp}, {@code tcp6}, {@code udp} and {@code udp6}.
 *
 * <p>Columns (whitespace-separated): {@code sl local_address rem_address st tx:rx tr:when retrnsmt
 * uid timeout inode ...}. Addresses are hex words in the kernel's byte order, ports big-endian hex.
 * A line that does not fit is counted in {@link Result#skipped()} with the first reason kept, so a
 * kernel format change shows up instead of silently shrinking the answer (OSHI turns such fields
 * into zeros). A socket the kernel lists twice in one reading (churn) comes once ({@link
 * DistinctSockets}).
 *
 * <p>The text is parsed as bytes, in place: fields are offsets into the file, numbers are read
 * digit by digit, and an address is decoded once and reused while the next lines repeat it (a
 * machine's connections share a few local and remote addresses). The {@code String} per line and
 * per field, and an {@code InetAddress} per address, were a third of the parse (33 ms of CPU
 * against 21-23 ms now, at 10,000 sockets).
 */
public final class ProcNetParser {
  private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
  private static final int COLUMNS = 10;
  private static final int CACHED_ADDRESSES = 4;

  /** Returns the sockets parsed from one file, and what was skipped. */
  public record Result(List<SocketEntry> entries, int skipped, String firstProblem) {}

  private final byte[] text;
  private final Protocol protocol;
  private final boolean ipv6;
  private final int hexLength;
  private final int[] starts = new int[COLUMNS];
  private final int[] ends = new int[COLUMNS];
  private final byte[][] cachedHex = new byte[CACHED_ADDRESSES][];
  private final InetAddress[] cached = new InetAddress[CACHED_ADDRESSES];
  private int nextSlot;

  private ProcNetParser(byte[] text, Protocol protocol, boolean ipv6) {
    this.text = text;
    this.protocol = protocol;
    this.ipv6 = ipv6;
    this.hexLength = ipv6 ? 32 : 8;
  }

  /** Parses one file's text; the header line is recognised and not counted as skipped. */
  public static Result parse(CharSequence text, Protocol protocol, boolean ipv6) {
    return parse(text, protocol, ipv6, LineFilter.ALL);
  }

  /** Parses the lines of {@code text} that {@code quick} accepts (see the byte form). */
  public static Result parse(CharSequence text, Protocol protocol, boolean ipv6, LineFilter quick) {
    return parse(text.toString().getBytes(StandardCharsets.ISO_8859_1), protocol, ipv6, quick);
  }

  /**
   * Parses only the lines of {@code text} (a file's bytes) that {@code quick} accepts. Their local
   * port and state are read in place first, so "who holds 62893" skips 10,000 other sockets without
   * building them. Skipped lines are not validated; a line whose port or state cannot be read is
   * parsed in full, so it is still counted when malformed.
   */
  public static Result parse(byte[] text, Protocol protocol, boolean ipv6, LineFilter quick) {
    return new ProcNetParser(text, protocol, ipv6).lines(quick);
  }

  private Result lines(LineFilter quick) {
    DistinctSockets entries = new DistinctSockets();
    int skipped = 0;
    String firstProblem = null;
    int lineNo = 0;
    int start = 0;
    while (start < text.length) {
      int from = start;
      int end = lineEnd(from);
      start = end + 1;
      lineNo++;
      if (lineNo > 1 && quick != LineFilter.ALL && skip(from, end, quick)) {
        continue;
      }
      int first = skipBlanks(from, end);
      if (isBlank(from, end) || (lineNo == 1 && isHeader(first, end))) {
        continue;
      }
      try {
        entries.add(line(first, end));
      } catch (IllegalArgumentException e) {
        skipped++;
        if (firstProblem == null) {
          firstProblem = "line " + lineNo + ": " + e.getMessage();
        }
      }
    }
    return new Result(entries.list(), skipped, firstProblem);
  }

  private int lineEnd(int from) {
    int i = from;
    while (i < text.length && text[i] != '\n') {
      i++;
    }
    return i;
  }

  /** Returns true when {@code [from, to)} holds only white space (a control byte is garbage). */
  private boolean isBlank(int from, int to) {
    for (int i = from; i < to; i++) {
      if (!Character.isWhitespace(text[i] & 0xff)) {
        return false;
      }
    }
    return true;
  }

  private boolean isHeader(int first, int end) {
    return end - first >= 2 && text[first] == 's' && text[first + 1] == 'l';
  }

  /**
   * Returns true when the line in {@code [from, to)} is well-formed and {@code quick} rejects it.
   */
  private boolean skip(int from, int to, LineFilter quick) {
    int colon = from;
    while (colon < to && text[colon] != ':') { // after "sl"
      colon++;
    }
    if (colon >= to) {
      return false;
    }
    int local = skipBlanks(colon + 1, to);
    int portStart = local + hexLength + 1;
    int remote = skipBlanks(portStart + 4, to);
    int st = skipBlanks(remote + hexLength + 5, to);
    if (st + 2 > to || text[portStart - 1] != ':') {
      return false;
    }
    int port = hexOrMinusOne(portStart, 4);
    int code = hexOrMinusOne(st, 2);
    SocketState state = code < 0 ? null : SocketState.fromKernel(protocol, code);
    return port >= 0 && state != null && !quick.test(port, state);
  }

  private int skipBlanks(int i, int to) {
    while (i < to && (text[i] & 0xff) <= ' ') {
      i++;
    }
    return i;
  }

  private SocketEntry line(int from, int to) {
    int n = split(from, to);
    if (n < COLUMNS) {
      throw new IllegalArgumentException("truncated (" + n + " of 10 columns)");
    }
    checkAddress(1);
    int localPort = hex(starts[1] + hexLength + 1, 4);
    InetAddress local = address(starts[1]);
    checkAddress(2);
    int remotePort = hex(starts[2] + hexLength + 1, 4);
    InetAddress remote = address(starts[2]);
    if (ends[3] - starts[3] > 8) {
      throw new IllegalArgumentException("bad st " + field(3));
    }
    SocketState state = SocketState.fromKernel(protocol, hex(starts[3], ends[3] - starts[3]));
    if (state == null) {
      throw new IllegalArgumentException("unknown state " + field(3));
    }
    long uid = decimal(7, "uid");
    if (uid > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("bad uid " + field(7));
    }
    long inode = decimal(9, "inode");
    return new SocketEntry(
        protocol, ipv6, local, localPort, remote, remotePort, state, (int) uid, inode);
  }

  /** Splits {@code [from, to)} on runs of blanks into the first columns; returns how many. */
  private int split(int from, int to) {
    int n = 0;
    int i = from;
    while (n < COLUMNS) {
      i = skipBlanks(i, to);
      if (i >= to) {
        break;
      }
      starts[n] = i;
      while (i < to && (text[i] & 0xff) > ' ') {
        i++;
      }
      ends[n++] = i;
    }
    return n;
  }

  private void checkAddress(int column) {
    if (ends[column] - starts[column] != hexLength + 5 || text[starts[column] + hexLength] != ':') {
      throw new IllegalArgumentException("bad address " + field(column));
    }
  }

  /** Returns the address whose hex starts at {@code at}, decoded once for repeated addresses. */
  private InetAddress address(int at) {
    for (int slot = 0; slot < CACHED_ADDRESSES; slot++) {
      byte[] hex = cachedHex[slot];
      if (hex != null && Arrays.equals(text, at, at + hexLength, hex, 0, hexLength)) {
        return cached[slot];
      }
    }
    byte[] bytes = new byte[hexLength / 2];
    // The kernel prints each 32-bit word of the address in host byte order.
    for (int word = 0; word < bytes.length / 4; word++) {
      for (int b = 0; b < 4; b++) {
        int pos = at + word * 8 + b * 2;
        bytes[word * 4 + (LITTLE_ENDIAN ? 3 - b : b)] = (byte) hex(pos, 2);
      }
    }
    InetAddress address;
    try {
      // Java turns IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) into Inet4Address by itself.
      address = InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("bad address " + text(at, at + hexLength), e);
    }
    int slot = nextSlot;
    nextSlot = (slot + 1) % CACHED_ADDRESSES;
    cachedHex[slot] = Arrays.copyOfRange(text, at, at + hexLength);
    cached[slot] = address;
    return address;
  }

  /** Returns the {@code n} hex digits at {@code from}; throws on any other byte. */
  private int hex(int from, int n) {
    int value = 0;
    for (int k = from; k < from + n; k++) {
      int d = hexDigit(text[k]);
      if (d < 0) {
        throw new IllegalArgumentException("not hex: '" + (char) (text[k] & 0xff) + "'");
      }
      value = value << 4 | d;
    }
    return value;
  }

  /** Returns the {@code n} hex digits at {@code from} as a number, or -1. */
  private int hexOrMinusOne(int from, int n) {
    int value = 0;
    for (int k = from; k < from + n; k++) {
      int d = hexDigit(text[k]);
      if (d < 0) {
        return -1;
      }
      value = value << 4 | d;
    }
    return value;
  }

  private static int hexDigit(byte c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }

  /** Returns column {@code column} as a decimal number of at most 18 digits. */
  private long decimal(int column, String what) {
    int from = starts[column];
    int to = ends[column];
    if (to - from > 18) {
      throw new IllegalArgumentException("bad " + what + " " + field(column));
    }
    long value = 0;
    for (int k = from; k < to; k++) {
      int d = text[k] - '0';
      if (d < 0 || d > 9) {
        throw new IllegalArgumentException("bad " + what + " " + field(column));
      }
      value = value * 10 + d;
    }
    return value;
  }

  private String field(int column) {
    return text(starts[column], ends[column]);
  }

  private String text(int from, int to) {
    return new String(text, from, to - from, StandardCharsets.ISO_8859_1);
  }
}
