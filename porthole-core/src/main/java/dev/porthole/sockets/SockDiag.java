package dev.porthole.sockets;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Set;

/**
 * Dumps the kernel's TCP and UDP sockets over netlink {@code sock_diag} ({@code NETLINK_INET_DIAG},
 * what {@code ss} uses): binary records, filtered by state in the kernel, so a listeners-only
 * question costs nothing per connection (the kernel formats all 10,000 lines of {@code
 * /proc/net/tcp} to hand over 10 listeners). One socket, reused; calls are serialised.
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
  private static final int EINTR = 4;
  // sockaddr_nl of the kernel: family, pad, pid 0, groups 0.
  private static final byte[] KERNEL = kernelAddress();

  private final int fd;
  private final ByteBuffer buffer =
      ByteBuffer.allocateDirect(64 * 1024).order(ByteOrder.nativeOrder());
  private int sequence;
  private boolean closed;

  private SockDiag(int fd) {
    this.fd = fd;
  }

  /**
   * Opens a sock_diag socket.
   *
   * @throws IOException when netlink cannot be used here (no JNA native library for this platform,
   *     a kernel without sock_diag, a seccomp filter)
   */
  public static SockDiag open() throws IOException {
    try {
      int fd =
          NetlinkCalls.socket(
              NetlinkCalls.AF_NETLINK,
              NetlinkCalls.SOCK_DGRAM | NetlinkCalls.SOCK_CLOEXEC,
              NetlinkCalls.NETLINK_SOCK_DIAG);
      return new SockDiag(fd);
    } catch (LastErrorException e) {
      throw new IOException("netlink sock_diag socket: errno " + e.getErrorCode(), e);
    } catch (LinkageError | RuntimeException e) {
      // No libjnidispatch for this platform, or JNA refused to load (a read-only temp dir).
      throw new IOException("netlink unavailable: " + e, e);
    }
  }

  /**
   * Returns the sockets of one table whose state is in {@code quick.states()} and that {@code
   * quick} accepts, or null when the kernel has no such table (IPv6 disabled).
   */
  @Override
  public synchronized ProcNetParser.Result read(Protocol protocol, boolean ipv6, LineFilter quick)
      throws IOException {
    if (closed) {
      throw new IOException("sock_diag socket closed");
    }
    int seq = ++sequence;
    byte[] request = request(protocol, ipv6, stateMask(protocol, quick.states()), seq);
    try {
      NetlinkCalls.sendto(fd, request, request.length, 0, KERNEL, KERNEL.length);
      SockDiagReader reader = new SockDiagReader(protocol, ipv6, quick, seq);
      while (true) {
        long n = receive();
        buffer.clear();
        buffer.limit((int) n);
        if (!reader.read(buffer)) {
          return reader.error() == 0 ? reader.result() : missingOrFail(reader.error(), ipv6);
        }
      }
    } catch (LastErrorException e) {
      throw new IOException("netlink sock_diag: errno " + e.getErrorCode(), e);
    }
  }

  private long receive() {
    while (true) {
      try {
        return NetlinkCalls.recv(fd, buffer, buffer.capacity(), 0);
      } catch (LastErrorException e) {
        if (e.getErrorCode() != EINTR) {
          throw e;
        }
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

  private static byte[] request(Protocol protocol, boolean ipv6, int states, int seq) {
    ByteBuffer b = ByteBuffer.allocate(REQUEST_LENGTH).order(ByteOrder.nativeOrder());
    b.putInt(REQUEST_LENGTH).putShort((short) SOCK_DIAG_BY_FAMILY);
    b.putShort((short) (NLM_F_REQUEST | NLM_F_DUMP)).putInt(seq).putInt(0);
    b.put((byte) (ipv6 ? AF_INET6 : AF_INET));
    b.put((byte) (protocol == Protocol.TCP ? IPPROTO_TCP : IPPROTO_UDP));
    b.put((byte) 0).put((byte) 0).putInt(states); // no extensions; the rest (the id) stays zero
    return b.array();
  }

  private static byte[] kernelAddress() {
    ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder());
    b.putShort((short) NetlinkCalls.AF_NETLINK);
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
      NetlinkCalls.close(fd);
    }
  }
}
