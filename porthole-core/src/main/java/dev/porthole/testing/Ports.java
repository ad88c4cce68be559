package dev.porthole.testing;

import dev.porthole.ports.FreePorts;
import dev.porthole.ports.PortRange;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Returns free TCP ports that cannot race, for tests: in the dynamic range (49152-65535) outside
 * the kernel's ephemeral range (so no outgoing connection takes one), free on IPv4 and IPv6
 * loopback, and never handed to two JVMs or two threads at once.
 *
 * <pre>{@code
 * int port = Ports.freePort();              // the simple case
 * try (PortReservation held = Ports.reserve()) {  // held until the server binds it
 *   server.listen(held.release());
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class Ports {
  private static final int ATTEMPTS = 200;

  private Ports() {}

  /**
   * Returns a port that is free now and was not reserved by any JVM using porthole. Nothing holds
   * it afterwards: prefer {@link #reserve()} when other code might bind meanwhile.
   *
   * @throws IllegalStateException when no port could be found
   */
  public static int freePort() {
    try (PortReservation r = reserve()) {
      return r.port();
    }
  }

  /**
   * Returns a port bound on 127.0.0.1 and ::1 (::1 left out when this host has no IPv6) and locked
   * across JVMs until the reservation is closed.
   *
   * @throws IllegalStateException when no port could be reserved after 200 tries
   */
  public static PortReservation reserve() {
    FreePorts finder = FreePorts.loopback();
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      List<Integer> found = finder.find(1, PortRange.DYNAMIC, -1);
      if (found.isEmpty()) {
        break;
      }
      int port = found.getFirst();
      PortLocks.Lock lock = PortLocks.tryLock(port);
      if (lock == null) {
        continue;
      }
      List<ServerSocket> holders = hold(finder.addresses(), port);
      if (holders != null) {
        return new PortReservation(port, lock, holders);
      }
      lock.close();
    }
    throw new IllegalStateException(
        "no free port in "
            + PortRange.DYNAMIC
            + " outside the ephemeral range after "
            + ATTEMPTS
            + " tries (lock files in "
            + PortLocks.directory()
            + ")");
  }

  /** Returns sockets listening on {@code port} on every address, or null if one fails to bind. */
  private static List<ServerSocket> hold(List<InetAddress> addresses, int port) {
    List<ServerSocket> held = new ArrayList<>(addresses.size());
    try {
      for (InetAddress a : addresses) {
        ServerSocket s = new ServerSocket();
        held.add(s);
        // No SO_REUSEADDR: while we hold it, no one else's bind can succeed.
        s.setReuseAddress(false);
        s.bind(new InetSocketAddress(a, port), 1);
      }
      return held;
    } catch (IOException e) {
      for (ServerSocket s : held) {
        try {
          s.close();
        } catch (IOException ignored) {
          // Already failing over to another port.
        }
      }
      return null;
    }
  }
}
