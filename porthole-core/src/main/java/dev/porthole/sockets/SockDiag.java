package dev.porthole.sockets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Set;

/**
 * Dumps the kernel's TCP and UDP sockets over netlink {@code sock_diag} ({@code NETLINK_INET_DIAG},
 * what {@code ss} uses): binary records, filtered by state and by local port in the kernel, so a
 * listeners-only or one-port question costs nothing per other socket (the kernel formats all 10,000
 * lines of {@code /proc/net/tcp} to hand over 10 listeners). One socket, reused; calls are
 * serialised. The calls go through the FFM API on JDK 22 and later, through JNA on 21 ({@link
 * NetlinkChannel}).
 *
 * <pre>{@code
 * try (SockDiag diag = SockDiag.open()) {
 *   ProcNetParser.Result r = diag.read(Protocol.TCP, false, LineFilter.LISTENERS);
 * }
 * }</pre>
 */
public final class SockDiag implements SocketTables, AutoCloseable {
  private static final int TCPDIAG_GETSOCK = 18;
  private static final int SOCK_DIAG_BY_FAMILY = 20;
  private static final int NLM_F_REQUEST = 0x1;
  private static final int NLM_F_DUMP = 0x300;
  private static final int AF_INET = 2;
  private static final int AF_INET6 = 10;
  private static final int IPPROTO_TCP = 6;
  private static final int IPPROTO_UDP = 17;
  private static final int REQUEST_LENGTH = 16 + 56; // nlmsghdr + inet_diag_req_v2
  private static final int TCP_REQUEST_LENGTH = 16 + 60; // nlmsghdr + inet_diag_req (the old one)
  private static final int ATTRIBUTE_HEADER = 4; // nlattr: u16 length, u16 type
  // What a kernel without the old TCP request answers it: ENOENT, EINVAL, EOPNOTSUPP.
  private static final Set<Integer> REFUSED = Set.of(2, 22, 95);

  private final NetlinkChannel channel;
  private final ByteBuffer buffer =
      ByteBuffer.allocateDirect(64 * 1024).order(ByteOrder.nativeOrder());
  private int sequence;
  private boolean closed;
  private boolean oneWalk = true; // false once this kernel refused the one-walk TCP dump

  private SockDiag(NetlinkChannel channel) {
    this.channel = channel;
  }

  /**
   * Opens a sock_diag socket: through FFM on JDK 22 and later, else through JNA.
   *
   * @throws IOException when netlink cannot be used here (no JNA native library for this platform,
   *     a kernel without sock_diag, a seccomp filter)
   */
  public static SockDiag open() throws IOException {
    return new SockDiag(NetlinkChannel.open(true));
  }

  /**
   * Opens a sock_diag socket without JNA (whose start costs a one-shot command ~30 ms): through
   * FFM, where the JDK (22 and later) has it.
   *
   * @throws IOException where FFM is unavailable or netlink cannot be used
   */
  public static SockDiag openWithoutJna() throws IOException {
    return new SockDiag(NetlinkChannel.open(false));
  }

  /** Opens a sock_diag socket through JNA alone (JDK 21's way; tests compare the two). */
  static SockDiag openJna() throws IOException {
    return new SockDiag(JnaNetlink.open());
  }

  /** Returns how the libc calls are made: "FFM" or "JNA". */
  public String via() {
    return channel.via();
  }

  /**
   * Returns the sockets of one table whose state is in {@code quick.states()}, whose local port is
   * in {@code quick}'s span and that {@code quick} accepts, or null when the kernel has no such
   * table (IPv6 disabled). The states and the span are the kernel's to check.
   */
  @Override
  public synchronized ProcNetParser.Result read(Protocol protocol, boolean ipv6, LineFilter quick)
      throws IOException {
    SockDiagReader reader = dump(request(protocol, ipv6, quick, false), protocol, ipv6, quick);
    return reader.error() == 0 ? reader.result() : missingOrFail(reader.error(), ipv6);
  }

  /**
   * Returns the four tables (tcp, tcp6, udp, udp6) that {@code quick} accepts, reading both TCP
   * tables in one dump: the old {@code TCPDIAG_GETSOCK} request, which the kernel answers for every
   * family, walks its TCP hash tables once where a dump per family walks them twice (the IPv4 walk
   * of 10,000 IPv6 sockets found none and cost a third of the snapshot). Where the kernel refuses
   * that request, both TCP tables are dumped one by one from then on. The tcp6 table is missing
   * when udp6 is (a kernel without IPv6 diagnostics), as the dump per family would say.
   */
  @Override
  public synchronized ProcNetParser.Result[] readAll(LineFilter quick) throws IOException {
    ProcNetParser.Result udp = read(Protocol.UDP, false, quick);
    ProcNetParser.Result udp6 = read(Protocol.UDP, true, quick);
    if (oneWalk) {
      SockDiagReader tcp =
          dump(request(Protocol.TCP, false, quick, true), Protocol.TCP, false, quick);
      if (tcp.error() == 0) {
        ProcNetParser.Result tcp6 = udp6 == null ? null : tcp.result(true);
        return new ProcNetParser.Result[] {tcp.result(false), tcp6, udp, udp6};
      }
      if (!REFUSED.contains(tcp.error())) {
        missingOrFail(tcp.error(), false);
      }
      oneWalk = false; // a kernel built without the old request
    }
    return new ProcNetParser.Result[] {
      read(Protocol.TCP, false, quick), read(Protocol.TCP, true, quick), udp, udp6
    };
  }

  /** Sends one dump request and reads its answer to the end. */
  private SockDiagReader dump(Request request, Protocol protocol, boolean ipv6, LineFilter quick)
      throws IOException {
    if (closed) {
      throw new IOException("sock_diag socket closed");
    }
    int seq = ++sequence;
    channel.send(request.bytes(seq));
    SockDiagReader reader = new SockDiagReader(protocol, ipv6, quick, seq);
    while (true) {
      int n = channel.receive(buffer);
      buffer.clear();
      buffer.limit(n);
      if (!reader.read(buffer)) {
        return reader;
      }
    }
  }

  private static ProcNetParser.Result missingOrFail(int errno, boolean ipv6) throws IOException {
    if (ipv6) {
      return null; // no inet6 diag handler: IPv6 is disabled or not built
    }
    throw new IOException("netlink sock_diag answered errno " + errno);
  }

  /** Returns the kernel's state bit mask for {@code states} (1 << state code). */
  static int stateMask(Protocol protocol, Set<SocketState> states) {
    int mask = 0;
    for (SocketState state : states) {
      // Code 7 is UNCONN for UDP, CLOSE for TCP; a UDP socket never listens. A TCP mask of
      // LISTEN alone lets the kernel walk its listener table only, not every connection.
      boolean other =
          protocol == Protocol.TCP
              ? state == SocketState.UNCONN
              : state == SocketState.CLOSE || state == SocketState.LISTEN;
      if (!other) {
        mask |= 1 << (state == SocketState.UNCONN ? 7 : state.ordinal() + 1);
      }
    }
    if (states.contains(SocketState.SYN_RECV)) {
      mask |= 1 << 12; // request sockets live as NEW_SYN_RECV and are reported as SYN_RECV
    }
    return mask;
  }

  /** A dump request without its sequence number, which {@link #dump} gives it. */
  private interface Request {
    byte[] bytes(int seq);
  }

  /** Returns the request for {@code quick}'s states and ports: one table, or both TCP ones. */
  private static Request request(
      Protocol protocol, boolean ipv6, LineFilter quick, boolean bothTcp) {
    int states = stateMask(protocol, quick.states());
    byte[] ports =
        quick.anyPort() ? null : DiagBytecode.localPorts(quick.firstPort(), quick.lastPort());
    return bothTcp
        ? seq -> tcpRequest(states, seq, ports)
        : seq -> request(protocol, ipv6, states, seq, ports);
  }

  /**
   * Returns the dump request: {@code nlmsghdr}, {@code inet_diag_req_v2} and, when {@code bytecode}
   * is not null, the filter program as an {@code INET_DIAG_REQ_BYTECODE} attribute.
   */
  static byte[] request(Protocol protocol, boolean ipv6, int states, int seq, byte[] bytecode) {
    ByteBuffer b = header(REQUEST_LENGTH, SOCK_DIAG_BY_FAMILY, seq, bytecode);
    b.put((byte) (ipv6 ? AF_INET6 : AF_INET));
    b.put((byte) (protocol == Protocol.TCP ? IPPROTO_TCP : IPPROTO_UDP));
    b.put((byte) 0).put((byte) 0).putInt(states); // no extensions; the id stays zero
    return withBytecode(b, REQUEST_LENGTH, bytecode);
  }

  /**
   * Returns the dump request of every TCP socket of both families: {@code nlmsghdr} of type {@code
   * TCPDIAG_GETSOCK}, the old {@code inet_diag_req} (whose family the kernel ignores: it asks for
   * all) and the filter program as for {@link #request}.
   */
  static byte[] tcpRequest(int states, int seq, byte[] bytecode) {
    ByteBuffer b = header(TCP_REQUEST_LENGTH, TCPDIAG_GETSOCK, seq, bytecode);
    b.put((byte) AF_INET).put((byte) 0).put((byte) 0).put((byte) 0); // family, lengths, no ext
    b.position(TCP_REQUEST_LENGTH - 8).putInt(states).putInt(0); // after the zero id; no tables
    return withBytecode(b, TCP_REQUEST_LENGTH, bytecode);
  }

  private static ByteBuffer header(int fixed, int type, int seq, byte[] bytecode) {
    // A program's length is a multiple of 4, so the attribute needs no padding.
    int length = fixed + (bytecode == null ? 0 : ATTRIBUTE_HEADER + bytecode.length);
    ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
    b.putInt(length).putShort((short) type);
    b.putShort((short) (NLM_F_REQUEST | NLM_F_DUMP)).putInt(seq).putInt(0);
    return b;
  }

  private static byte[] withBytecode(ByteBuffer b, int fixed, byte[] bytecode) {
    if (bytecode != null) {
      b.position(fixed);
      b.putShort((short) (ATTRIBUTE_HEADER + bytecode.length));
      b.putShort(DiagBytecode.INET_DIAG_REQ_BYTECODE).put(bytecode);
    }
    return b.array();
  }

  @Override
  public String source() {
    return "netlink";
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      channel.close();
    }
  }
}
