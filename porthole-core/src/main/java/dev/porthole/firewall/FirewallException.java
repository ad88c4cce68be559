package dev.porthole.firewall;

/** A packet filter command failed; the message is one line saying which and why. */
public final class FirewallException extends RuntimeException {
  public FirewallException(String message) {
    super(message);
  }
}
