package dev.porthole.ports;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Returns the few libc calls a scan worker makes (socket, connect, getsockopt, setsockopt, close,
 * epoll), with one worker's native memory: the target address, errno, and the epoll events.
 *
 * <p>Constants are Linux's on x86-64 and arm64, the two architectures {@link DirectScan#available}
 * admits. Not thread-safe: one instance per worker thread.
 */
final class Libc implements AutoCloseable {
  /** What {@link #connect} returns. */
  static final int CONNECTED = 0;

  static final int REFUSED = 1;
  static final int PENDING = 2;
  static final int NO_LOCAL_PORT = 3;
  static final int FAILED = 4;

  static final int EMFILE = 24;
  static final int ENFILE = 23;
  static final int EADDRNOTAVAIL = 99;
  private static final int EAGAIN = 11;
  private static final int EINTR = 4;
  private static final int EISCONN = 106;
  private static final int ECONNREFUSED = 111;
  private static final int EALREADY = 114;
  private static final int EINPROGRESS = 115;

  private static final int AF_INET = 2;
  private static final int AF_INET6 = 10;
  private static final int SOCK_STREAM_NONBLOCK_CLOEXEC = 1 | 0x800 | 0x80000;
  private static final int SOL_SOCKET = 1;
  private static final int SO_ERROR = 4;
  private static final int SO_LINGER = 13;
  private static final int EPOLL_CTL_ADD = 1;
  private static final int EPOLLOUT = 0x4;
  private static final int EVENTS = 256;
  // struct epoll_event is packed on x86-64 (12 bytes), naturally aligned on arm64 (16).
  private static final boolean PACKED = System.getProperty("os.arch").equals("amd64");
  private static final long EVENT_SIZE = PACKED ? 12 : 16;
  private static final long DATA_OFFSET = PACKED ? 4 : 8;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
  private static final VarHandle ERRNO_VALUE =
      Linker.Option.captureStateLayout().varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private static final MethodHandle SOCKET =
      call("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), true);
  private static final MethodHandle CONNECT =
      call("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), true);
  private static final MethodHandle CLOSE =
      call("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), false);
  private static final MethodHandle GETSOCKOPT =
      call(
          "getsockopt",
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS),
          false);
  private static final MethodHandle GETSOCKNAME =
      call("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), false);
  private static final MethodHandle SETSOCKOPT =
      call(
          "setsockopt",
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT),
          false);
  private static final MethodHandle EPOLL_CREATE1 =
      call("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT), true);
  private static final MethodHandle EPOLL_CTL =
      call(
          "epoll_ctl",
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS),
          true);
  private static final MethodHandle EPOLL_WAIT =
      call(
          "epoll_wait",
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
          true);
  private static final ValueLayout.OfShort PORT =
      ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

  private final Arena arena = Arena.ofConfined();
  private final MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
  private final MemorySegment address;
  private final MemorySegment events = arena.allocate(EVENT_SIZE * EVENTS, 8);
  private final MemorySegment event = arena.allocate(16, 8);
  private final MemorySegment option = arena.allocate(8, 4);
  private final MemorySegment length = arena.allocate(4, 4);
  private final MemorySegment local = arena.allocate(28, 4);
  private final int family;
  private final int epoll;

  private Libc(byte[] ip, int scopeId) throws IOException {
    family = ip.length == 4 ? AF_INET : AF_INET6;
    if (family == AF_INET) {
      address = arena.allocate(16, 4); // sockaddr_in
      address.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET);
      MemorySegment.copy(ip, 0, address, ValueLayout.JAVA_BYTE, 4, 4);
    } else {
      address = arena.allocate(28, 4); // sockaddr_in6
      address.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET6);
      MemorySegment.copy(ip, 0, address, ValueLayout.JAVA_BYTE, 8, 16);
      address.set(ValueLayout.JAVA_INT, 24, scopeId);
    }
    epoll = epollCreate();
    if (epoll < 0) {
      arena.close();
      throw new IOException("epoll_create1() failed: errno " + errno());
    }
  }

  /** Returns the calls for a scan of the address {@code ip} (4 or 16 bytes). */
  static Libc open(byte[] ip, int scopeId) {
    try {
      return new Libc(ip, scopeId);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Returns a non-blocking stream socket, or -1 with {@link #errno} set. */
  int socket() {
    try {
      return (int) SOCKET.invokeExact(state, family, SOCK_STREAM_NONBLOCK_CLOEXEC, 0);
    } catch (Throwable t) {
      throw failed(t);
    }
  }

  /**
   * Returns what connecting {@code fd} to {@code port} of the address gave: CONNECTED and so on.
   */
  int connect(int fd, int port) {
    address.set(PORT, 2, (short) port);
    int r;
    try {
      r = (int) CONNECT.invokeExact(state, fd, address, (int) address.byteSize());
    } catch (Throwable t) {
      throw failed(t);
    }
    if (r == 0) {
      return CONNECTED;
    }
    return switch (errno()) {
      case EISCONN -> CONNECTED;
      case ECONNREFUSED -> REFUSED;
      case EINPROGRESS, EALREADY, EINTR -> PENDING;
      case EADDRNOTAVAIL, EAGAIN -> NO_LOCAL_PORT;
      default -> FAILED;
    };
  }

  /** Returns the pending error of a connect that epoll reported (0: connected). */
  int connectError(int fd) {
    length.set(JAVA_INT, 0, 4);
    int r;
    try {
      r = (int) GETSOCKOPT.invokeExact(fd, SOL_SOCKET, SO_ERROR, option, length);
    } catch (Throwable t) {
      throw failed(t);
    }
    return r < 0 ? -1 : option.get(JAVA_INT, 0);
  }

  /** Returns the local port {@code fd} is bound to, or -1. */
  int localPort(int fd) {
    length.set(JAVA_INT, 0, (int) local.byteSize());
    int r;
    try {
      r = (int) GETSOCKNAME.invokeExact(fd, local, length);
    } catch (Throwable t) {
      throw failed(t);
    }
    return r < 0 ? -1 : Short.toUnsignedInt(local.get(PORT, 2));
  }

  /** Closes a connected socket with a reset (SO_LINGER 0): no TIME_WAIT left behind. */
  void closeWithReset(int fd) {
    option.set(JAVA_INT, 0, 1);
    option.set(JAVA_INT, 4, 0);
    try {
      int ignored = (int) SETSOCKOPT.invokeExact(fd, SOL_SOCKET, SO_LINGER, option, 8);
    } catch (Throwable t) {
      throw failed(t);
    }
    close(fd);
  }

  void close(int fd) {
    try {
      int ignored = (int) CLOSE.invokeExact(fd);
    } catch (Throwable t) {
      throw failed(t);
    }
  }

  /** Adds {@code fd} to the epoll set, to report when its connect settles, with {@code slot}. */
  void watch(int fd, int slot) throws IOException {
    event.set(JAVA_INT, 0, EPOLLOUT);
    event.set(ValueLayout.JAVA_LONG_UNALIGNED, DATA_OFFSET, slot);
    int r;
    try {
      r = (int) EPOLL_CTL.invokeExact(state, epoll, EPOLL_CTL_ADD, fd, event);
    } catch (Throwable t) {
      throw failed(t);
    }
    if (r < 0) {
      throw new IOException("epoll_ctl() failed: errno " + errno());
    }
  }

  /** Returns how many events arrived within {@code millis} (0 on a signal). */
  int epollWait(int millis) {
    int n;
    try {
      n = (int) EPOLL_WAIT.invokeExact(state, epoll, events, EVENTS, millis);
    } catch (Throwable t) {
      throw failed(t);
    }
    return Math.max(n, 0);
  }

  /** Returns the slot of the {@code i}th event of the last {@link #epollWait}. */
  int eventData(int i) {
    return (int) events.get(ValueLayout.JAVA_LONG_UNALIGNED, i * EVENT_SIZE + DATA_OFFSET);
  }

  /** Returns errno as the last call that captures it left it. */
  int errno() {
    return (int) ERRNO_VALUE.get(state, 0L);
  }

  @Override
  public void close() {
    close(epoll);
    arena.close();
  }

  private int epollCreate() {
    try {
      return (int) EPOLL_CREATE1.invokeExact(state, 0x80000); // EPOLL_CLOEXEC
    } catch (Throwable t) {
      throw failed(t);
    }
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
