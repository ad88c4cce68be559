package dev.porthole.sockets;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;

/**
 * Returns a netlink socket whose calls go through the FFM API: no native library to unpack and
 * load, which is what made JNA cost a one-shot command more than netlink saved. Loaded by name
 * ({@link NetlinkChannel#openFfm}) on JDK 22 and later only.
 */
final class FfmNetlink implements NetlinkChannel {
  private static final long SYS_SOCKET = Syscall.number(41, 198);
  private static final long SYS_SENDTO = Syscall.number(44, 206);
  private static final long SYS_RECVFROM = Syscall.number(45, 207);
  private static final long SYS_CLOSE = Syscall.number(3, 57);
  private static final int SOCKADDR_NL = 12;
  private static final int MAX_REQUEST = 256;

  // Shared: the watch, the API and the dashboard feed call one SockDiag from different threads. It
  // holds only the kernel's address, written once; a call's own memory (the request, errno) is the
  // call's or its thread's, so no thread reads what another's call left.
  private final Arena arena = Arena.ofShared();
  private final MemorySegment kernel = arena.allocate(SOCKADDR_NL, 4);
  private final int fd;

  private FfmNetlink() throws IOException {
    kernel.set(ValueLayout.JAVA_SHORT, 0, (short) AF_NETLINK); // pid 0, groups 0: the kernel
    long r;
    try {
      r = call(SYS_SOCKET, AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG, 0, 0, 0);
    } catch (RuntimeException e) {
      arena.close();
      throw e;
    }
    if (r < 0) {
      int errno = errno();
      arena.close();
      throw new IOException("netlink sock_diag socket: errno " + errno);
    }
    fd = (int) r;
  }

  /** Opens the socket (called by name from {@link NetlinkChannel#openFfm}). */
  static FfmNetlink open() throws IOException {
    return new FfmNetlink();
  }

  @Override
  public void send(byte[] bytes) throws IOException {
    if (bytes.length > MAX_REQUEST) {
      throw new IOException("netlink request of " + bytes.length + " bytes");
    }
    try (Arena call = Arena.ofConfined()) {
      MemorySegment request = call.allocate(MAX_REQUEST, 8);
      MemorySegment.copy(bytes, 0, request, ValueLayout.JAVA_BYTE, 0, bytes.length);
      long n =
          call(SYS_SENDTO, fd, request.address(), bytes.length, 0, kernel.address(), SOCKADDR_NL);
      if (n < 0) {
        throw new IOException("netlink sock_diag: errno " + errno());
      }
    }
  }

  @Override
  public int receive(ByteBuffer into) throws IOException {
    MemorySegment target = MemorySegment.ofBuffer(into.clear());
    while (true) {
      long n = call(SYS_RECVFROM, fd, target.address(), target.byteSize(), 0, 0, 0);
      if (n >= 0) {
        return (int) n;
      }
      int errno = errno();
      if (errno != EINTR) {
        throw new IOException("netlink sock_diag: errno " + errno);
      }
    }
  }

  @Override
  public String via() {
    return "FFM";
  }

  @Override
  public void close() {
    try {
      call(SYS_CLOSE, fd, 0, 0, 0, 0, 0);
    } finally {
      arena.close();
    }
  }

  private static int errno() {
    return Syscall.errno();
  }

  /** Returns what the system call {@code number} returned: -1 with errno set on failure. */
  private static long call(long number, long a, long b, long c, long d, long e, long f) {
    return Syscall.call(number, a, b, c, d, e, f);
  }
}
