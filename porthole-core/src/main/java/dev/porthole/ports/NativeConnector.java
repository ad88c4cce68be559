package dev.porthole.ports;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Returns the outcome of one connect through Netty's native socket, settled at once where the
 * kernel already knows it — the scanner's fast path on Linux.
 *
 * <p>Cheaper than NIO per port: a non-blocking socket in one call, and a refusal read from {@code
 * SO_ERROR} instead of thrown as an exception; socket, connect, getsockopt, close — nothing else. A
 * connect the kernel has not settled yet comes back {@link Outcome#PENDING}, and the scanner waits
 * for it on its selector instead.
 */
final class NativeConnector {
  /** Returns what one connect attempt showed. */
  enum Outcome {
    OPEN,
    CLOSED,
    PENDING
  }

  private NativeConnector() {}

  /** Returns true when the native transport loads on this machine. */
  static boolean available() {
    return Holder.AVAILABLE;
  }

  private static final class Holder {
    static final boolean AVAILABLE = load();

    private static boolean load() {
      try {
        return Epoll.isAvailable();
      } catch (LinkageError e) {
        return false; // not Linux, or the native library is missing: NIO does the work
      }
    }
  }

  /**
   * Returns the outcome of connecting to {@code address}.
   *
   * @throws IOException when out of file descriptors or local ports (EMFILE, EADDRNOTAVAIL)
   */
  static Outcome connect(InetSocketAddress address) throws IOException {
    Socket s;
    try {
      s = Socket.newSocketStream();
    } catch (RuntimeException e) {
      // Netty reports socket() errors as ChannelException; anything but EMFILE/ENFILE is left to
      // the NIO path, which knows the platform's other quirks.
      IOException cause = new IOException(e.getMessage(), e);
      if (PortScanner.shortOfResources(cause)) {
        throw cause;
      }
      return Outcome.PENDING;
    }
    try {
      boolean connected = s.connect(address);
      if (!connected) {
        if (s.getSoError() != 0) {
          return Outcome.CLOSED;
        }
        // SO_ERROR is 0 both when connected and while still in progress; only a connected
        // socket has a peer (Netty's finishConnect() would say "connected" for both).
        connected = s.remoteAddress() != null;
      }
      if (connected) {
        s.setSoLinger(0); // close with a reset: no TIME_WAIT eating the ephemeral range
        return Outcome.OPEN;
      }
      return Outcome.PENDING;
    } catch (IOException e) {
      if (PortScanner.shortOfResources(e)) {
        throw e;
      }
      return Outcome.CLOSED;
    } finally {
      try {
        s.close();
      } catch (IOException ignored) {
        // a probe socket; nothing to report
      }
    }
  }
}
