package dev.porthole.ports;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * Scans one worker's share of ports with libc's {@code connect} and epoll, through {@link Libc}.
 *
 * <p>On loopback the kernel settles a connect before the call returns, but a non-blocking connect
 * still says "in progress"; a second {@code connect} on the same socket then gives the answer
 * (refused, or connected) and, when refused, leaves the socket unconnected and ready for the next
 * port. A closed port therefore costs two system calls, where socket, connect, getsockopt and close
 * cost four, and nothing per port is allocated: the address, the epoll events and the pending
 * connects live in one native arena and a few int arrays. A connect still pending after the second
 * call (a remote host, a full accept queue) waits on the epoll set until its deadline.
 */
final class EpollScan implements DirectScan {
  private final Libc libc;
  private final long timeoutNanos;
  private final IntSupplier done;

  /**
   * @param host the address to scan
   * @param timeout how long a connect may stay pending before its port counts as filtered
   * @param done how many ports the whole scan has settled (for {@link Throttle})
   */
  EpollScan(InetAddress host, Duration timeout, IntSupplier done) {
    this.libc =
        host instanceof Inet6Address v6
            ? Libc.open(host.getAddress(), v6.getScopeId())
            : Libc.open(host.getAddress(), 0);
    this.timeoutNanos = timeout.toNanos();
    this.done = done;
  }

  @Override
  public Share scan(int[] ports, int limit, Runnable tick) throws IOException {
    return new ShareScan(ports, limit, tick).run();
  }

  @Override
  public void close() {
    libc.close();
  }

  /** The state of one share: pending connects by slot, the reusable socket, the counts. */
  private final class ShareScan {
    final int[] ports;
    final Runnable tick;
    final Throttle throttle;
    final List<Integer> open = new ArrayList<>();
    final int[] slotFd;
    final int[] slotPort;
    final long[] slotDeadline;
    final int[] free;
    int freeCount;
    int next;
    int inFlight;
    int filtered;
    int spare = -1; // an unconnected socket left by a refused port, for the next one
    int sourcePort; // the local port this share's sockets are bound to; 0: not yet, -1: none
    long nextExpiry;

    ShareScan(int[] ports, int limit, Runnable tick) {
      this.ports = ports;
      this.tick = tick;
      this.throttle = new Throttle(limit, done);
      slotFd = new int[limit];
      slotPort = new int[limit];
      slotDeadline = new long[limit];
      free = new int[limit];
      java.util.Arrays.fill(slotFd, -1);
      for (int i = 0; i < limit; i++) {
        free[freeCount++] = limit - 1 - i;
      }
    }

    Share run() throws IOException {
      try {
        while (next < ports.length || inFlight > 0) {
          launch();
          if (inFlight > 0) {
            int ready = libc.epollWait(20);
            for (int i = 0; i < ready; i++) {
              finish(libc.eventData(i));
            }
            expire();
          }
        }
      } finally {
        if (spare >= 0) {
          libc.close(spare);
        }
        for (int s = 0; s < slotFd.length; s++) {
          if (slotFd[s] >= 0) {
            libc.close(slotFd[s]);
          }
        }
      }
      return new Share(open, filtered, throttle.limit(), throttle.notes());
    }

    private void launch() throws IOException {
      while (inFlight < throttle.limit() && next < ports.length) {
        int fd = spare;
        spare = -1;
        if (fd < 0) {
          fd = fresh();
          if (fd < 0) {
            shortOf(libc.errno());
            return;
          }
        }
        int port = ports[next];
        int answer = libc.connect(fd, port);
        if (answer == Libc.PENDING) {
          answer = libc.connect(fd, port); // the kernel has usually settled it by now
        }
        switch (answer) {
          case Libc.CONNECTED -> {
            connected(fd, port);
            settle();
          }
          case Libc.REFUSED -> {
            spare = fd; // unconnected again: reused for the next port
            settle();
          }
          case Libc.PENDING -> pend(fd, port);
          case Libc.NO_LOCAL_PORT -> {
            libc.close(fd);
            shortOf(Libc.EADDRNOTAVAIL);
            return;
          }
          default -> {
            libc.close(fd); // unreachable and the like: not open; a fresh socket for the next
            settle();
          }
        }
      }
    }

    /**
     * Returns a new socket, bound to this share's own local port when it can be, or -1 with errno
     * set.
     *
     * <p>Why bound: a socket the kernel binds in connect() gets its port by a search of the
     * ephemeral range and gives it back when the connect is refused, for every port scanned; one
     * bound explicitly (to the scanned address: it is this machine's) keeps its address and port
     * from one refused connect to the next; a scan of 1-65535 in one JVM took 0.87x the CPU. The
     * port comes from the kernel once, through a first socket bound to port 0 while a second
     * takes it over explicitly; if that fails (an address not this machine's, under
     * --allow-remote) or the port is taken meanwhile, the kernel picks per connect, as before.
     */
    private int fresh() {
      int fd = libc.socket();
      if (fd < 0 || sourcePort < 0) {
        return fd;
      }
      if (sourcePort > 0) {
        if (!libc.bindReusable(fd, sourcePort)) {
          sourcePort = -1; // still unbound and usable
        }
        return fd;
      }
      int port = libc.bindReusable(fd, 0) ? libc.localPort(fd) : -1;
      int owner = port > 0 ? libc.socket() : -1;
      if (owner >= 0 && libc.bindReusable(owner, port)) {
        libc.close(fd);
        sourcePort = port;
        return owner;
      }
      if (owner >= 0) {
        libc.close(owner);
      }
      sourcePort = -1;
      return fd;
    }

    private void pend(int fd, int port) throws IOException {
      int slot = free[--freeCount];
      slotFd[slot] = fd;
      slotPort[slot] = port;
      slotDeadline[slot] = System.nanoTime() + timeoutNanos;
      libc.watch(fd, slot);
      inFlight++;
      next++;
    }

    private void finish(int slot) {
      int fd = slotFd[slot];
      if (fd < 0) {
        return; // expired in this round already
      }
      if (libc.connectError(fd) == 0) {
        connected(fd, slotPort[slot]);
      } else {
        libc.close(fd);
      }
      release(slot);
      throttle.progressed();
      tick.run();
    }

    private void connected(int fd, int port) {
      // A socket whose own port is the target connected to itself (TCP simultaneous open): the
      // port was free, not open. Possible for targets in the ephemeral range.
      if (libc.localPort(fd) != port) {
        open.add(port);
      }
      libc.closeWithReset(fd);
    }

    private void expire() {
      long now = System.nanoTime();
      if (now < nextExpiry) {
        return;
      }
      nextExpiry = now + 10_000_000L;
      for (int s = 0; s < slotFd.length; s++) {
        if (slotFd[s] >= 0 && slotDeadline[s] < now) {
          libc.close(slotFd[s]);
          release(s);
          filtered++;
          throttle.progressed();
          tick.run();
        }
      }
    }

    private void release(int slot) {
      slotFd[slot] = -1;
      free[freeCount++] = slot;
      inFlight--;
    }

    private void settle() {
      next++;
      throttle.progressed();
      tick.run();
    }

    private void shortOf(int errno) throws IOException {
      if (errno == Libc.EMFILE || errno == Libc.ENFILE) {
        throttle.shortOf("file descriptors", "Too many open files", inFlight);
      } else if (errno == Libc.EADDRNOTAVAIL) {
        throttle.shortOf("local ports", "Cannot assign requested address", inFlight);
      } else {
        throw new IOException("socket() failed: errno " + errno);
      }
    }
  }
}
