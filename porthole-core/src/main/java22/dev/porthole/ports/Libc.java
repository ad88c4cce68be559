package dev.porthole.ports;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.porthole.sockets.Syscall;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Returns the few system calls a scan worker makes (socket, connect, getsockopt, setsockopt, close,
 * epoll), with one worker's native memory: the target address and the epoll events. All go
 * through {@link Syscall}'s one downcall handle, which the owner join's netlink socket shares: nine
 * handles of their own cost a cold start ~50 ms to make.
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
  private static final int SO_REUSEADDR = 2;
  private static final int EPOLL_CTL_ADD = 1;
  private static final int EPOLLOUT = 0x4;
  private static final int EVENTS = 256;
  // struct epoll_event is packed on x86-64 (12 bytes), naturally aligned on arm64 (16).
  private static final boolean PACKED = System.getProperty("os.arch").equals("amd64");
  private static final long EVENT_SIZE = PACKED ? 12 : 16;
  private static final long DATA_OFFSET = PACKED ? 4 : 8;

  private static final long SYS_SOCKET = Syscall.number(41, 198);
  private static final long SYS_CONNECT = Syscall.number(42, 203);
  private static final long SYS_CLOSE = Syscall.number(3, 57);
  private static final long SYS_GETSOCKOPT = Syscall.number(55, 209);
  private static final long SYS_SETSOCKOPT = Syscall.number(54, 208);
  private static final long SYS_GETSOCKNAME = Syscall.number(51, 204);
  private static final long SYS_BIND = Syscall.number(49, 200);
  private static final long SYS_EPOLL_CREATE1 = Syscall.number(291, 20);
  private static final long SYS_EPOLL_CTL = Syscall.number(233, 21);
  // epoll_pwait with no signal mask is epoll_wait; arm64 has only the former.
  private static final long SYS_EPOLL_PWAIT = Syscall.number(281, 22);
  private static final ValueLayout.OfShort PORT =
      ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

  private final Arena arena = Arena.ofConfined();
  private final MemorySegment address;
  private final MemorySegment source; // the target's own address, for bind (loopback is local)
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
    source = arena.allocate(address.byteSize(), 4).copyFrom(address);
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
    return (int) Syscall.call(SYS_SOCKET, family, SOCK_STREAM_NONBLOCK_CLOEXEC, 0, 0, 0, 0);
  }

  /**
   * Returns what connecting {@code fd} to {@code port} of the address gave: CONNECTED and so on.
   */
  int connect(int fd, int port) {
    address.set(PORT, 2, (short) port);
    long r = Syscall.call(SYS_CONNECT, fd, address.address(), address.byteSize(), 0, 0, 0);
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
    long r =
        Syscall.call(SYS_GETSOCKOPT, fd, SOL_SOCKET, SO_ERROR, option.address(), length.address(), 0);
    return r < 0 ? -1 : option.get(JAVA_INT, 0);
  }

  /**
   * Binds {@code fd} to {@code port} (0: one the kernel picks) of the scanned address itself, with
   * SO_REUSEADDR so that sockets of one scan can share it; returns false when refused (an address
   * that is not this machine's). Bound to an address, not the wildcard, the socket keeps it when a
   * connect is refused, which spares the kernel re-hashing it on every port.
   */
  boolean bindReusable(int fd, int port) {
    option.set(JAVA_INT, 0, 1);
    Syscall.call(SYS_SETSOCKOPT, fd, SOL_SOCKET, SO_REUSEADDR, option.address(), 4, 0);
    source.set(PORT, 2, (short) port);
    return Syscall.call(SYS_BIND, fd, source.address(), source.byteSize(), 0, 0, 0) == 0;
  }

  /** Returns the local port {@code fd} is bound to, or -1. */
  int localPort(int fd) {
    length.set(JAVA_INT, 0, (int) local.byteSize());
    long r = Syscall.call(SYS_GETSOCKNAME, fd, local.address(), length.address(), 0, 0, 0);
    return r < 0 ? -1 : Short.toUnsignedInt(local.get(PORT, 2));
  }

  /** Closes a connected socket with a reset (SO_LINGER 0): no TIME_WAIT left behind. */
  void closeWithReset(int fd) {
    option.set(JAVA_INT, 0, 1);
    option.set(JAVA_INT, 4, 0);
    Syscall.call(SYS_SETSOCKOPT, fd, SOL_SOCKET, SO_LINGER, option.address(), 8, 0);
    close(fd);
  }

  void close(int fd) {
    Syscall.call(SYS_CLOSE, fd, 0, 0, 0, 0, 0);
  }

  /** Adds {@code fd} to the epoll set, to report when its connect settles, with {@code slot}. */
  void watch(int fd, int slot) throws IOException {
    event.set(JAVA_INT, 0, EPOLLOUT);
    event.set(ValueLayout.JAVA_LONG_UNALIGNED, DATA_OFFSET, slot);
    long r = Syscall.call(SYS_EPOLL_CTL, epoll, EPOLL_CTL_ADD, fd, event.address(), 0, 0);
    if (r < 0) {
      throw new IOException("epoll_ctl() failed: errno " + errno());
    }
  }

  /** Returns how many events arrived within {@code millis} (0 on a signal). */
  int epollWait(int millis) {
    long n = Syscall.call(SYS_EPOLL_PWAIT, epoll, events.address(), EVENTS, millis, 0, 8);
    return (int) Math.max(n, 0);
  }

  /** Returns the slot of the {@code i}th event of the last {@link #epollWait}. */
  int eventData(int i) {
    return (int) events.get(ValueLayout.JAVA_LONG_UNALIGNED, i * EVENT_SIZE + DATA_OFFSET);
  }

  /** Returns errno as the last call that captures it left it. */
  int errno() {
    return Syscall.errno();
  }

  @Override
  public void close() {
    close(epoll);
    arena.close();
  }

  private int epollCreate() {
    return (int) Syscall.call(SYS_EPOLL_CREATE1, 0x80000, 0, 0, 0, 0, 0); // EPOLL_CLOEXEC
  }
}
