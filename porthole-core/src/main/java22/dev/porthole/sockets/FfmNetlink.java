package dev.porthole.sockets;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
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
  private static final MethodHandle SOCKET =
      call("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), true);
  private static final MethodHandle SENDTO =
      call(
          "sendto",
          FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT),
          true);
  private static final MethodHandle RECV =
      call("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), true);
  private static final MethodHandle CLOSE =
      call("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), false);
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
    int r;
    try {
      r = (int) SOCKET.invokeExact(state, AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    } catch (Throwable t) {
      arena.close();
      throw failed(t);
    }
    if (r < 0) {
      int errno = errno();
      arena.close();
      throw new IOException("netlink sock_diag socket: errno " + errno);
    }
    fd = r;
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
    long n;
    try {
      n = (long) SENDTO.invokeExact(state, fd, request, (long) bytes.length, 0, kernel, SOCKADDR_NL);
    } catch (Throwable t) {
      throw failed(t);
    }
    if (n < 0) {
      throw new IOException("netlink sock_diag: errno " + errno());
    }
  }

  @Override
  public int receive(ByteBuffer into) throws IOException {
    MemorySegment target = MemorySegment.ofBuffer(into.clear());
    while (true) {
      long n;
      try {
        n = (long) RECV.invokeExact(state, fd, target, target.byteSize(), 0);
      } catch (Throwable t) {
        throw failed(t);
      }
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
      int ignored = (int) CLOSE.invokeExact(fd);
    } catch (Throwable t) {
      throw failed(t);
    } finally {
      arena.close();
    }
  }

  private int errno() {
    return (int) ERRNO_VALUE.get(state, 0L);
  }

  private static IllegalStateException failed(Throwable t) {
    // invokeExact declares Throwable; a downcall throws only on a wrong signature (a bug here).
    return new IllegalStateException("libc call failed: " + t, t);
  }

  private static MethodHandle call(String name, FunctionDescriptor fd, boolean errno) {
    MemorySegment symbol =
        LINKER.defaultLookup().find(name).orElseThrow(() -> new UnsatisfiedLinkError(name));
    return errno ? LINKER.downcallHandle(symbol, fd, ERRNO) : LINKER.downcallHandle(symbol, fd);
  }
}
