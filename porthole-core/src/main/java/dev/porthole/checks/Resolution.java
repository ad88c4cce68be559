package dev.porthole.checks;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Returns every address a name resolves to, in the JVM's order and in the system resolver's.
 *
 * <p>The two can differ: the JVM puts IPv4 first unless {@code java.net.preferIPv6Addresses} is
 * set, while glibc (and Node 17+, Go, curl) follow RFC 6724 and usually put {@code ::1} first. A
 * service listening on one family only then works for one client and not another.
 *
 * @param host the name that was resolved
 * @param jvm the JVM's answer, in order; empty when the name did not resolve
 * @param system the system resolver's answer ({@code getent ahosts}), in order; empty when unknown
 * @param systemNote why the system order is unknown, or null
 */
public record Resolution(
    String host, List<InetAddress> jvm, List<String> system, String systemNote) {

  /** Returns the JVM's and the system's answer for {@code host}. */
  public static Resolution of(String host, CommandRunner runner) {
    List<InetAddress> jvm;
    try {
      jvm = List.of(InetAddress.getAllByName(host));
    } catch (UnknownHostException e) {
      jvm = List.of();
    }
    CommandRunner.Output out = runner.run(List.of("getent", "ahosts", host));
    if (out.exitCode() == 127 || out.exitCode() == -1) {
      return new Resolution(host, jvm, List.of(), "not checked, because " + out.stderr());
    }
    return new Resolution(host, jvm, parseGetent(out.stdout()), null);
  }

  /** Returns the distinct addresses of {@code getent ahosts} output, in order. */
  static List<String> parseGetent(String text) {
    Set<String> seen = new LinkedHashSet<>();
    for (String line : text.split("\\R")) {
      String[] fields = line.strip().split("\\s+");
      if (fields.length >= 1 && !fields[0].isEmpty()) {
        seen.add(canonical(fields[0]));
      }
    }
    return new ArrayList<>(seen);
  }

  private static String canonical(String address) {
    try {
      return InetAddress.getByName(address).getHostAddress();
    } catch (UnknownHostException e) {
      return address;
    }
  }

  /** Returns the JVM's addresses as text, in order. */
  public List<String> jvmAddresses() {
    return jvm.stream().map(Resolution::text).toList();
  }

  /** Returns true when the system resolver lists the same addresses in another order. */
  public boolean ordersDiffer() {
    return !system.isEmpty() && !system.equals(jvmAddresses());
  }

  /** Returns true when some address (JVM or system) is not a loopback address. */
  public boolean offLoopback() {
    return jvm.stream().anyMatch(a -> !a.isLoopbackAddress())
        || system.stream().anyMatch(a -> !a.startsWith("127.") && !a.equals("::1"));
  }

  /** Returns an address as text: IPv6 compressed ("::1"), never with a host name. */
  public static String text(InetAddress address) {
    return dev.porthole.ports.Addresses.text(address);
  }
}
