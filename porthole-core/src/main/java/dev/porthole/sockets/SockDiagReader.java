package dev.porthole.sockets;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * Parses the netlink messages of one sock_diag dump into {@link SocketEntry}s, one received
 * datagram at a time. Each {@code inet_diag_msg} is read in place: its port and state first, so a
 * socket {@link LineFilter} rejects costs no allocation. Each record names its family, so one dump
 * may hold IPv4 and IPv6 sockets (the one-walk TCP dump, {@link SockDiag#readAll}); they are kept
 * apart, in the kernel's order within each. A message too short for its type is counted as skipped,
 * like a malformed {@code /proc/net} line, and charged to the table the dump was made for; a socket
 * the dump gives twice comes once ({@link DistinctSockets}).
 */
final class SockDiagReader {
  private static final int NLMSG_ERROR = 2;
  private static final int NLMSG_DONE = 3;
  private static final int TCPDIAG_GETSOCK = 18; // the answer's type to a one-walk TCP dump
  private static final int SOCK_DIAG_BY_FAMILY = 20;
  private static final int HEADER = 16;
  private static final int DIAG_MSG = 72;
  private static final int AF_INET = 2;
  private static final int AF_INET6 = 10;

  private final Protocol protocol;
  private final boolean ipv6;
  private final LineFilter quick;
  private final int sequence;
  private final DistinctSockets v4 = new DistinctSockets();
  private final DistinctSockets v6 = new DistinctSockets();
  private final AddressCache v4Addresses = new AddressCache(4);
  private final AddressCache v6Addresses = new AddressCache(16);
  private int skipped;
  private String firstProblem;
  private int error;

  /**
   * Creates a reader of the dump {@code sequence}, made for the table of {@code protocol} and
   * {@code ipv6}: the table its problems are charged to.
   */
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
        if (type == SOCK_DIAG_BY_FAMILY || type == TCPDIAG_GETSOCK) {
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
    int family = Byte.toUnsignedInt(b.get(at));
    SocketState state = SocketState.fromKernel(protocol, Byte.toUnsignedInt(b.get(at + 1)));
    int localPort = bigEndianShort(b, at + 4); // ports are in network order, the rest native
    if (family != AF_INET && family != AF_INET6) {
      problem("unknown family " + family);
      return;
    }
    if (state == null) {
      problem("unknown state " + b.get(at + 1));
      return;
    }
    if (!quick.test(localPort, state)) {
      return;
    }
    boolean six = family == AF_INET6;
    AddressCache addresses = six ? v6Addresses : v4Addresses;
    int remotePort = bigEndianShort(b, at + 6);
    (six ? v6 : v4)
        .add(
            new SocketEntry(
                protocol,
                six,
                addresses.get(b, at + 8),
                localPort,
                addresses.get(b, at + 24),
                remotePort,
                state,
                b.getInt(at + 64),
                Integer.toUnsignedLong(b.getInt(at + 68))));
  }

  private static int bigEndianShort(ByteBuffer b, int at) {
    return (Byte.toUnsignedInt(b.get(at)) << 8) | Byte.toUnsignedInt(b.get(at + 1));
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

  /** Returns the sockets of the table this dump was made for. */
  ProcNetParser.Result result() {
    return result(ipv6);
  }

  /** Returns the sockets of one family, with the problems if it is the dump's own table. */
  ProcNetParser.Result result(boolean family) {
    boolean charged = family == ipv6;
    return new ProcNetParser.Result(
        (family ? v6 : v4).list(), charged ? skipped : 0, charged ? firstProblem : null);
  }

  /**
   * The addresses decoded last, by their bytes: a machine's sockets share a few local and remote
   * addresses (10,000 loopback connections have two), so most records cost no {@link InetAddress}
   * and no copy of their bytes.
   */
  private static final class AddressCache {
    private static final int SLOTS = 4;

    private final int size;
    private final long[] high = new long[SLOTS];
    private final long[] low = new long[SLOTS];
    private final InetAddress[] decoded = new InetAddress[SLOTS];
    private int next;

    AddressCache(int size) {
      this.size = size;
    }

    InetAddress get(ByteBuffer b, int at) {
      long h = size == 16 ? b.getLong(at) : b.getInt(at);
      long l = size == 16 ? b.getLong(at + 8) : 0;
      for (int i = 0; i < SLOTS; i++) {
        if (decoded[i] != null && high[i] == h && low[i] == l) {
          return decoded[i];
        }
      }
      byte[] bytes = new byte[size];
      b.get(at, bytes);
      InetAddress address;
      try {
        // An IPv4-mapped IPv6 address becomes an Inet4Address, as before.
        address = InetAddress.getByAddress(bytes);
      } catch (UnknownHostException e) {
        throw new IllegalStateException("impossible address length " + size, e);
      }
      high[next] = h;
      low[next] = l;
      decoded[next] = address;
      next = (next + 1) % SLOTS;
      return address;
    }
  }
}
