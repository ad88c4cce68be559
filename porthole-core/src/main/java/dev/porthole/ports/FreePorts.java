package dev.porthole.ports;

import dev.porthole.sockets.IpLiteral;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Finds ports that are free on every address of a host, by binding them.
 *
 * <p>What get-port, detect-port and portpicker get wrong, and this does not: a port is free only
 * when it binds on IPv4 <em>and</em> IPv6 (a server on {@code ::1} alone makes {@code 127.0.0.1}
 * look free); the probe binds without {@code SO_REUSEADDR}, so a port in TIME_WAIT or bound but not
 * listening is not "free"; and a port inside the kernel's ephemeral range or on the browsers' bad
 * list is never offered, because an outgoing connection can take the first at any moment and a
 * browser refuses the second.
 *
 * <pre>{@code
 * int port = FreePorts.loopback().find(1, PortRange.DYNAMIC, -1).getFirst();
 * }</pre>
 */
public final class FreePorts {
  private final List<InetAddress> addresses;
  private final EphemeralRange ephemeral;
  private final boolean udp;

  /**
   * @param addresses every address the port must be free on
   * @param udp true to require the port free for UDP as well as TCP
   */
  public FreePorts(List<InetAddress> addresses, EphemeralRange ephemeral, boolean udp) {
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("addresses: empty (expected: at least one)");
    }
    this.addresses = List.copyOf(addresses);
    this.ephemeral = ephemeral;
    this.udp = udp;
  }

  /** Returns a finder for 127.0.0.1 and ::1 (::1 left out when this host has no IPv6). */
  public static FreePorts loopback() {
    return forHost("127.0.0.1", false);
  }

  /**
   * Returns a finder for {@code host} and its other-family twin: 127.0.0.0/8 and ::1 pair up,
   * 0.0.0.0 and :: pair up, and {@code localhost} means both loopbacks. Any other address stands
   * alone. The twin is left out when this host cannot bind it (IPv6 disabled).
   */
  public static FreePorts forHost(String host, boolean udp) {
    List<InetAddress> addresses = new ArrayList<>();
    try {
      if (host.equalsIgnoreCase("localhost")) {
        addresses.add(InetAddress.getByName("127.0.0.1"));
        addresses.add(InetAddress.getByName("::1"));
      } else {
        InetAddress address = IpLiteral.parse(host);
        addresses.add(address);
        InetAddress twin = twin(address);
        if (twin != null) {
          addresses.add(twin);
        }
      }
    } catch (UnknownHostException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "host: '" + host + "' (expected: an IP address or localhost)");
    }
    // Keep the first address even if it fails, so a wrong --host says so instead of vanishing.
    List<InetAddress> usable = new ArrayList<>(List.of(addresses.getFirst()));
    for (InetAddress a : addresses.subList(1, addresses.size())) {
      if (bindable(a)) {
        usable.add(a);
      }
    }
    return new FreePorts(usable, EphemeralRange.system(), udp);
  }

  private static InetAddress twin(InetAddress address) throws UnknownHostException {
    boolean v4 = address instanceof Inet4Address;
    if (address.isLoopbackAddress()) {
      return InetAddress.getByName(v4 ? "::1" : "127.0.0.1");
    }
    if (address.isAnyLocalAddress()) {
      return InetAddress.getByName(v4 ? "::" : "0.0.0.0");
    }
    return null;
  }

  private static boolean bindable(InetAddress address) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(address, 0), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Returns the addresses a port must bind on to count as free. */
  public List<InetAddress> addresses() {
    return addresses;
  }

  public EphemeralRange ephemeral() {
    return ephemeral;
  }

  /** Returns why {@code port} is never offered, or null when it may be: ephemeral, browser-bad. */
  public String excluded(int port) {
    if (ephemeral.contains(port)) {
      return "inside the ephemeral range " + ephemeral.first() + "-" + ephemeral.last();
    }
    if (BrowserPorts.blocked(port)) {
      return "blocked by browsers";
    }
    return null;
  }

  /** Returns true when {@code port} binds now on every address (and for UDP when asked). */
  public boolean isFree(int port) {
    for (InetAddress address : addresses) {
      if (!bindsTcp(address, port) || (udp && !bindsUdp(address, port))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns up to {@code count} distinct free ports from {@code range}: the ones nearest to {@code
   * near} (N, N+1, N-1, N+2, ...) when it is at least 1, else from a random start so concurrent
   * callers spread out. Fewer come back only when the range holds fewer free ports.
   *
   * @throws IllegalArgumentException when every port of the range is excluded
   */
  public List<Integer> find(int count, PortRange range, int near) {
    if (count < 1) {
      throw new IllegalArgumentException("count: " + count + " (expected: >= 1)");
    }
    if (near >= 1 && !range.contains(near)) {
      throw new IllegalArgumentException("near: " + near + " (expected: inside " + range + ")");
    }
    int[] candidates = new int[range.size()];
    int n = 0;
    for (int p = range.first(); p <= range.last(); p++) {
      if (excluded(p) == null) {
        candidates[n++] = p;
      }
    }
    if (n == 0) {
      throw new IllegalArgumentException(
          "range: "
              + range
              + " holds no usable port (all inside"
              + " the ephemeral range "
              + ephemeral.first()
              + "-"
              + ephemeral.last()
              + " or blocked by browsers)");
    }
    List<Integer> found = new ArrayList<>(count);
    if (near >= 1) {
      // Near order walks both sides, so it needs twice the steps to cover the range.
      for (int i = 0; i <= 2 * range.size() && found.size() < count; i++) {
        int port = nearOrder(near, i);
        if (range.contains(port) && excluded(port) == null && isFree(port)) {
          found.add(port);
        }
      }
      return found;
    }
    // A random start among the usable ports, so concurrent callers spread out.
    int offset = ThreadLocalRandom.current().nextInt(n);
    for (int i = 0; i < n && found.size() < count; i++) {
      int port = candidates[(offset + i) % n];
      if (isFree(port)) {
        found.add(port);
      }
    }
    return found;
  }

  /** Returns the i-th port in "N, N+1, N-1, N+2, N-2, ..." order. */
  private static int nearOrder(int near, int i) {
    int step = (i + 1) / 2;
    return i % 2 == 1 ? near + step : near - step;
  }

  private static boolean bindsTcp(InetAddress address, int port) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(false);
      probe.bind(new InetSocketAddress(address, port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean bindsUdp(InetAddress address, int port) {
    try (DatagramSocket probe = new DatagramSocket(null)) {
      probe.setReuseAddress(false);
      probe.bind(new InetSocketAddress(address, port));
      return true;
    } catch (SocketException e) {
      return false;
    }
  }
}
