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
  private static final int SOCK_DIAG_BY_FAMILY = 20;
  private static final int NLM_F_REQUEST = 0x1;
  private static final int NLM_F_DUMP = 0x300;
  private static final int AF_INET = 2;
  private static final int AF_INET6 = 10;
  private static final int IPPROTO_TCP = 6;
  private static final int IPPROTO_UDP = 17;
  private static final int REQUEST_LENGTH = 16 + 56; // nlmsghdr + inet_diag_req_v2
  private static final int ATTRIBUTE_HEADER = 4; // nlattr: u16 length, u16 type

  private final NetlinkChannel channel;
  private final ByteBuffer buffer =
      ByteBuffer.allocateDirect(64 * 1024).order(ByteOrder.nativeOrder());
  private int sequence;
  private boolean closed;

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
    if (closed) {
      throw new IOException("sock_diag socket closed");
    }
    int seq = ++sequence;
    byte[] ports =
        quick.anyPort() ? null : DiagBytecode.localPorts(quick.firstPort(), quick.lastPort());
    channel.send(request(protocol, ipv6, stateMask(protocol, quick.states()), seq, ports));
    SockDiagReader reader = new SockDiagReader(protocol, ipv6, quick, seq);
    while (true) {
      int n = channel.receive(buffer);
      buffer.clear();
      buffer.limit(n);
      if (!reader.read(buffer)) {
        return reader.error() == 0 ? reader.result() : missingOrFail(reader.error(), ipv6);
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

  /**
   * Returns the dump request: {@code nlmsghdr}, {@code inet_diag_req_v2} and, when {@code bytecode}
   * is not null, the filter program as an {@code INET_DIAG_REQ_BYTECODE} attribute.
   */
  static byte[] request(Protocol protocol, boolean ipv6, int states, int seq, byte[] bytecode) {
    // A program's length is a multiple of 4, so the attribute needs no padding.
    int length = REQUEST_LENGTH + (bytecode == null ? 0 : ATTRIBUTE_HEADER + bytecode.length);
    ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
    b.putInt(length).putShort((short) SOCK_DIAG_BY_FAMILY);
    b.putShort((short) (NLM_F_REQUEST | NLM_F_DUMP)).putInt(seq).putInt(0);
    b.put((byte) (ipv6 ? AF_INET6 : AF_INET));
    b.put((byte) (protocol == Protocol.TCP ? IPPROTO_TCP : IPPROTO_UDP));
    b.put((byte) 0).put((byte) 0).putInt(states); // no extensions; the id stays zero
    if (bytecode != null) {
      b.position(REQUEST_LENGTH);
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
