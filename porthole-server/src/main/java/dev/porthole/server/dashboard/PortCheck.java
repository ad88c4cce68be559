package dev.porthole.server.dashboard;

import dev.porthole.checks.Check;
import dev.porthole.checks.CheckResult;
import dev.porthole.checks.CommandRunner;
import dev.porthole.checks.Diagnoser;
import dev.porthole.checks.Target;
import dev.porthole.server.ApiError;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * Returns {@code porthole check} of a listener, for the port detail: resolve, connect (and TLS or
 * HTTP when the server speaks them) with each step's time, and a diagnosis when it is down.
 *
 * <p>Only loopback addresses are checked, so the page cannot be used to probe other machines; a
 * listener on all interfaces is checked on 127.0.0.1 (or ::1).
 */
final class PortCheck {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private PortCheck() {}

  static CheckResult run(int port, String address) {
    String host = address == null || address.isBlank() ? "127.0.0.1" : address.strip();
    if (host.equals("0.0.0.0")) {
      host = "127.0.0.1";
    } else if (host.equals("::")) {
      host = "::1";
    }
    if (!isLoopbackLiteral(host)) {
      throw ApiError.badRequest(
          "address: " + host + " (expected: a loopback address such as 127.0.0.1 or ::1)");
    }
    Target target;
    try {
      target = Target.parse((host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(e.getMessage());
    }
    CommandRunner runner = CommandRunner.system(TIMEOUT);
    return new Check(TIMEOUT, runner, Diagnoser.system(runner, port)).run(target);
  }

  // A literal only: a name would be resolved, and could point anywhere.
  private static boolean isLoopbackLiteral(String host) {
    if (!host.matches("[0-9.]+|[0-9a-fA-F:]+")) {
      return false;
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
