package dev.porthole.checks;

import java.util.List;

/**
 * Returns what a check saw on the wire, before any diagnosis.
 *
 * @param target what was checked
 * @param resolution the addresses the host resolved to, or null for an address literal
 * @param attempts one connection attempt per address, in the order tried
 * @param steps the timed steps
 * @param failure what went wrong after resolving, or null when the target is up
 * @param error the system's words for the failure, or null
 * @param tls what the TLS handshake showed, or null
 * @param http the HTTP response, or null
 */
public record Observation(
    Target target,
    Resolution resolution,
    List<Attempt> attempts,
    List<Step> steps,
    Failure failure,
    String error,
    TlsInfo tls,
    HttpInfo http) {

  public boolean up() {
    return failure == null;
  }

  /** Returns the address that connected, or null. */
  public String connectedAddress() {
    return attempts.stream()
        .filter(Attempt::connected)
        .map(Attempt::address)
        .findFirst()
        .orElse(null);
  }
}
