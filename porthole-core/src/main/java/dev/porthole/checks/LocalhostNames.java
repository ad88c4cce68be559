package dev.porthole.checks;

import dev.porthole.sockets.IpLiteral;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Returns the doctor's item for {@code *.localhost}: whether the system resolver sends a name under
 * {@code .localhost} to loopback, as browsers, curl and systemd-resolved do by themselves (RFC
 * 6761) and as the router's names ({@code porthole route}) need for every other program.
 */
final class LocalhostNames {
  /** The name asked for; any name under .localhost would do. */
  static final String PROBE = "porthole-doctor.localhost";

  private LocalhostNames() {}

  static DoctorItem check(CommandRunner runner) {
    CommandRunner.Output out = runner.run(List.of("getent", "ahosts", PROBE));
    if (out.exitCode() == 127) {
      return DoctorItem.skipped("localhost-names", "getent is not installed");
    }
    List<String> addresses = Resolution.parseGetent(out.stdout());
    if (!out.ok() || addresses.isEmpty()) {
      return DoctorItem.warn(
          "localhost-names",
          "*.localhost does not resolve through the system resolver (browsers and curl resolve it"
              + " themselves; other programs cannot reach https://NAME.localhost routes)",
          "add 'myhostname' to the hosts line of /etc/nsswitch.conf (package libnss-myhostname),"
              + " or use systemd-resolved");
    }
    for (String a : addresses) {
      if (!loopback(a)) {
        return DoctorItem.fail(
            "localhost-names",
            PROBE + " resolves to " + a + ", off loopback",
            "remove the wildcard for .localhost from your DNS or hosts setup");
      }
    }
    List<String> shown = addresses.stream().map(LocalhostNames::shortForm).toList();
    return DoctorItem.ok("localhost-names", "*.localhost resolves to " + String.join(", ", shown));
  }

  private static String shortForm(String address) {
    try {
      return IpLiteral.format(InetAddress.getByName(address));
    } catch (UnknownHostException e) {
      return address;
    }
  }

  private static boolean loopback(String address) {
    try {
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
