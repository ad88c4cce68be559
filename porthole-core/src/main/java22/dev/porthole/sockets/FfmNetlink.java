package dev.porthole.sockets;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * Returns a netlink socket whose calls go through the FFM API: no native library to unpack and
 * load, which is what made JNA cost a one-shot command more than netlink saved. Loaded by name
 * ({@link NetlinkChannel#openFfm}) on JDK 22 and later only.
 */
final class FfmNetlink implements NetlinkChannel {
  private static final Linker LINKER = Linker.nativeLinker();
  private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
  private static final VarHandle ERRNO_VALUE =
      Linker.Option.captureStateLayout().varHandle(MemoryLayout.PathElement.groupElement("errno"));
  // One handle for the four calls, through libc's syscall(2): each downcall handle costs a cold
  // JVM ~5-15 ms of CPU to make, which a one-shot command pays in full.
  private static final MethodHandle SYSCALL = syscall();
  private static final boolean AMD64 = System.getProperty("os.arch").equals("amd64");
  private static final long SYS_SOCKET = AMD64 ? 41 : 198;
  private static final long SYS_SENDTO = AMD64 ? 44 : 206;
  private static final long SYS_RECVFROM = AMD64 ? 45 : 207;
  private static final long SYS_CLOSE = AMD64 ? 3 : 57;
  private static final int SOCKADDR_NL = 12;
  private static final int MAX_REQUEST = 256;

  // Shared: the watch, the API and the dashboard feed call one SockDiag from different threads.
  private final Arena arena = Arena.ofShared();
  private final MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
  private final MemorySegment kernel = arena.allocate(SOCKADDR_NL, 4);
  private final MemorySegment request = arena.allocate(MAX_REQUEST, 8);
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
    MemorySegment.copy(bytes, 0, request, ValueLayout.JAVA_BYTE, 0, bytes.length);
    long n =
        call(SYS_SENDTO, fd, request.address(), bytes.length, 0, kernel.address(), SOCKADDR_NL);
    if (n < 0) {
      throw new IOException("netlink sock_diag: errno " + errno());
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

  private int errno() {
    return (int) ERRNO_VALUE.get(state, 0L);
  }

  /** Returns what the system call {@code number} returned: -1 with errno set on failure. */
  private long call(long number, long a, long b, long c, long d, long e, long f) {
    try {
      return (long) SYSCALL.invokeExact(state, number, a, b, c, d, e, f);
    } catch (Throwable t) {
      // invokeExact declares Throwable; a downcall throws only on a wrong signature (a bug here).
      throw new IllegalStateException("syscall failed: " + t, t);
    }
  }

  private static MethodHandle syscall() {
    MemorySegment symbol =
        LINKER.defaultLookup().find("syscall").orElseThrow(() -> new UnsatisfiedLinkError("syscall"));
    // long syscall(long number, ...): the arguments after the number are variadic.
    FunctionDescriptor longs =
        FunctionDescriptor.of(
            JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    return LINKER.downcallHandle(symbol, longs, ERRNO, Linker.Option.firstVariadicArg(1));
  }
}
