package dev.porthole.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;

/**
 * A free TCP port held for the caller: bound on 127.0.0.1 and ::1 so that no other process can take
 * it, and locked across JVMs so that no other test JVM is ever offered it.
 *
 * <p>Call {@link #release()} just before the code under test binds the port: it closes the sockets
 * that hold it (the cross-JVM lock stays until {@link #close()}). A listening socket that was never
 * connected leaves no TIME_WAIT, so the port binds again at once.
 *
 * <pre>{@code
 * try (PortReservation port = Ports.reserve()) {
 *   port.release();
 *   server.start(port.port());
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class PortReservation implements AutoCloseable {
  private final int port;
  private final PortLocks.Lock lock;
  private List<ServerSocket> holders;
  private boolean closed;

  PortReservation(int port, PortLocks.Lock lock, List<ServerSocket> holders) {
    this.port = port;
    this.lock = lock;
    this.holders = holders;
  }

  /** Returns the reserved port number. */
  public int port() {
    return port;
  }

  /** Returns {@code 127.0.0.1:<port>}. */
  public String hostPort() {
    return InetAddress.getLoopbackAddress().getHostAddress() + ":" + port;
  }

  /** Returns true until {@link #release()} or {@link #close()}: the sockets hold the port. */
  public synchronized boolean isHeld() {
    return holders != null;
  }

  /**
   * Closes the sockets that hold the port, so the code under test can bind it now; the cross-JVM
   * lock stays until {@link #close()}. Calling it again does nothing.
   *
   * @return the port
   */
  public synchronized int release() {
    if (holders != null) {
      for (ServerSocket s : holders) {
        try {
          s.close();
        } catch (IOException ignored) {
          // A close that fails leaves nothing bound that we could still free.
        }
      }
      holders = null;
    }
    return port;
  }

  /** Releases the port (if still held) and drops the cross-JVM lock. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    release();
    lock.close();
  }

  @Override
  public String toString() {
    return "PortReservation[" + port + (isHeld() ? ", held" : ", released") + "]";
  }
}
