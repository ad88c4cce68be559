package dev.porthole.watch;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.porthole.ports.PortRange;
import dev.porthole.sockets.BindScope;
import java.util.Locale;

/**
 * Returns one expected listener of a policy file. Only {@code port} is required; every other field
 * left out matches anything.
 *
 * @param port a port or a range, "5432" or "3000-3999"
 * @param protocol "tcp", "udp" or null for both
 * @param process the process name ({@code comm}); {@code *} matches any run of characters
 * @param exe the executable's path; {@code *} as in {@code process}
 * @param user the user name
 * @param scope "loopback", "all", "specific" or "any"; when stated, a listener with another scope
 *     is a violation, and one with this scope raises no exposure event
 * @param origin what must really own it: an origin kind ({@code container}, {@code vm}, {@code
 *     dev-server}, ...) or an engine or hypervisor ({@code docker}, {@code podman}, {@code qemu},
 *     {@code virtualbox})
 * @param container the container's name; {@code *} as in {@code process}
 * @param image the container's image; {@code *} as in {@code process}
 * @param vm the VM's name; {@code *} as in {@code process}
 * @param project a dev server's project directory, or a compose project; {@code *} as in {@code
 *     process}
 */
public record PolicyRule(
    String port,
    String protocol,
    String process,
    String exe,
    String user,
    String scope,
    String origin,
    String container,
    String image,
    String vm,
    String project) {

  /** Creates a rule about the holding process only, with no origin fields. */
  public PolicyRule(
      String port, String protocol, String process, String exe, String user, String scope) {
    this(port, protocol, process, exe, user, scope, null, null, null, null, null);
  }

  public PolicyRule {
    PortRange.parse(port, "port"); // fails with the reason when malformed
    protocol = protocol == null ? null : protocol.strip().toLowerCase(Locale.ROOT);
    if (protocol != null
        && !protocol.equals("tcp")
        && !protocol.equals("udp")
        && !protocol.equals("any")) {
      throw new IllegalArgumentException("protocol: '" + protocol + "' (expected: tcp, udp, any)");
    }
    scope = scope == null ? null : scope.strip().toLowerCase(Locale.ROOT);
    if (scope != null && !scope.matches("loopback|all|specific|any")) {
      throw new IllegalArgumentException(
          "scope: '" + scope + "' (expected: loopback, all, specific, any)");
    }
    origin = OriginMatch.checkOrigin(origin);
  }

  /** Returns the ports this rule covers. */
  @JsonIgnore
  public PortRange ports() {
    return PortRange.parse(port, "port");
  }

  /** Returns true when this rule is about the listener's port and protocol. */
  public boolean coversPort(Listener l) {
    return ports().contains(l.port())
        && (protocol == null || protocol.equals("any") || protocol.equals(l.protocol().label()));
  }

  /**
   * Returns null when the listener's owner, scope and origin fit this rule, else what does not fit.
   */
  public String mismatch(Listener l) {
    ProcessDetails o = l.owner();
    if (process != null && (o == null || !Glob.matches(process, o.name()))) {
      return "policy gives port " + l.port() + " to process " + process;
    }
    if (exe != null && (o == null || o.exe() == null || !Glob.matches(exe, o.exe()))) {
      return "policy gives port " + l.port() + " to " + exe;
    }
    if (user != null && (o == null || !user.equals(o.user()))) {
      return "policy gives port " + l.port() + " to user " + user;
    }
    if (!allowsScope(l.scope())) {
      return "policy allows scope " + scope + " only";
    }
    return OriginMatch.mismatch(this, l.origin(), l.port());
  }

  /** Returns true when the rule states a scope and it is {@code s} (or "any"). */
  public boolean statesScope(BindScope s) {
    return scope != null && allowsScope(s);
  }

  private boolean allowsScope(BindScope s) {
    return scope == null || scope.equals("any") || scope.equals(s.label());
  }
}
