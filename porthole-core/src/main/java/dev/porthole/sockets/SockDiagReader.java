package dev.porthole.sockets;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * Parses the netlink messages of one sock_diag dump into {@link SocketEntry}s, one received
 * datagram at a time. Each {@code inet_diag_msg} is read in place: its port and state first, so a
 * socket {@link LineFilter} rejects costs no allocation. A message too short for its type is
 * counted as skipped, like a malformed {@code /proc/net} line; a socket the dump gives twice comes
 * once ({@link DistinctSockets}).
 */
final class SockDiagReader {
  private static final int NLMSG_ERROR = 2;
  private static final int NLMSG_DONE = 3;
  private static final int SOCK_DIAG_BY_FAMILY = 20;
  private static final int HEADER = 16;
  private static final int DIAG_MSG = 72;

  private final Protocol protocol;
  private final boolean ipv6;
  private final LineFilter quick;
  private final int sequence;
  private final DistinctSockets entries = new DistinctSockets();
  private final byte[] v4 = new byte[4];
  private final byte[] v6 = new byte[16];
  private int skipped;
  private String firstProblem;
  private int error;

  SockDiagReader(Protocol protocol, boolean ipv6, LineFilter quick, int sequence) {
    this.protocol = protocol;
    this.ipv6 = ipv6;
    this.quick = quick;
    this.sequence = sequence;
  }

  /**
   * Reads the messages in {@code b} (position 0 to limit); returns false once the dump ended (done
   * or error), true when more datagrams follow.
   */
  boolean read(ByteBuffer b) {
    int at = 0;
    int end = b.limit();
    while (at + HEADER <= end) {
      int length = b.getInt(at);
      int type = Short.toUnsignedInt(b.getShort(at + 4));
      int seq = b.getInt(at + 8);
      if (length < HEADER || at + length > end) {
        problem("netlink message of " + length + " bytes at " + at + " of " + end);
        return false; // framing lost: nothing after it can be trusted
      }
      if (seq == sequence) {
        if (type == NLMSG_DONE) {
          return false;
        }
        if (type == NLMSG_ERROR) {
          error = length >= HEADER + 4 ? -b.getInt(at + HEADER) : -1;
          return false;
        }
        if (type == SOCK_DIAG_BY_FAMILY) {
          message(b, at + HEADER, length - HEADER);
        }
      } // a late answer to an earlier, abandoned dump: skipped
      at += (length + 3) & ~3;
    }
    return true;
  }

  private void message(ByteBuffer b, int at, int length) {
    if (length < DIAG_MSG) {
      problem("inet_diag_msg of " + length + " bytes");
      return;
    }
    SocketState state = SocketState.fromKernel(protocol, Byte.toUnsignedInt(b.get(at + 1)));
    int localPort = bigEndianShort(b, at + 4); // ports are in network order, the rest native
    if (state == null) {
      problem("unknown state " + b.get(at + 1));
      return;
    }
    if (!quick.test(localPort, state)) {
      return;
    }
    int remotePort = bigEndianShort(b, at + 6);
    entries.add(
        new SocketEntry(
            protocol,
            ipv6,
            address(b, at + 8),
            localPort,
            address(b, at + 24),
            remotePort,
            state,
            b.getInt(at + 64),
            Integer.toUnsignedLong(b.getInt(at + 68))));
  }

  private static int bigEndianShort(ByteBuffer b, int at) {
    return (Byte.toUnsignedInt(b.get(at)) << 8) | Byte.toUnsignedInt(b.get(at + 1));
  }

  private InetAddress address(ByteBuffer b, int at) {
    byte[] bytes = ipv6 ? v6 : v4;
    b.get(at, bytes);
    try {
      // getByAddress copies the array; an IPv4-mapped IPv6 address becomes an Inet4Address.
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("impossible address length " + bytes.length, e);
    }
  }

  private void problem(String what) {
    skipped++;
    if (firstProblem == null) {
      firstProblem = what;
    }
  }

  /** Returns the errno the kernel answered (positive), or 0. */
  int error() {
    return error;
  }

  ProcNetParser.Result result() {
    return new ProcNetParser.Result(entries.list(), skipped, firstProblem);
  }
}
