package dev.porthole.checks;

/**
 * Returns the stable code of a diagnosis; scripts match on these names ({@code --json}).
 *
 * <p>Each constant says what was seen and what it means.
 */
public enum DiagnosisCode {
  /** Refused, and no process listens on the port at any address. */
  NOTHING_LISTENS,
  /** Refused on IPv4, while a process listens on {@code ::1} (IPv6) only. */
  LISTENS_ON_IPV6_ONLY,
  /** Refused on IPv6, while a process listens on {@code 127.0.0.1} (IPv4) only. */
  LISTENS_ON_IPV4_ONLY,
  /** Refused, while a process listens on another loopback address, e.g. 127.0.0.2. */
  LISTENS_ON_OTHER_LOOPBACK,
  /** Refused, while a process listens on one specific non-loopback interface. */
  LISTENS_ON_OTHER_INTERFACE,
  /** The SYN went unanswered: a packet filter drops it (or the listen backlog is full). */
  FIREWALL_DROP,
  /** Refused or unreachable although a process listens: a packet filter rejects it. */
  FIREWALL_REJECT,
  /** Connected, but no answer came within the timeout: the application hangs. */
  NO_ANSWER,
  /** Connected, then the server reset the connection. */
  RESET_AFTER_CONNECT,
  /** Connected, then the server closed the connection without a word. */
  CLOSED_AFTER_CONNECT,
  /** TLS (https://) was spoken to a port that speaks plain HTTP. */
  TLS_TO_PLAIN_PORT,
  /** Plain HTTP (http://) was spoken to a port that expects TLS. */
  PLAIN_TO_TLS_PORT,
  /** The TLS handshake failed for another reason than a protocol mix-up. */
  TLS_HANDSHAKE_FAILED,
  /** The server answered, but not with HTTP. */
  NOT_HTTP,
  /** Nothing listens, and an outgoing connection holds the port from the ephemeral range. */
  EPHEMERAL_PORT_TAKEN,
  /** The name in the target does not resolve. */
  NAME_NOT_RESOLVING,
  /** A loopback name (localhost) resolves to an address that is not loopback. */
  NAME_OFF_LOOPBACK,
  /** No route to the address. */
  UNREACHABLE,
  /**
   * Refused, nothing listens here, but a process listens on the port inside another network
   * namespace (a container's own): it is not published to this one.
   */
  LISTENS_IN_OTHER_NAMESPACE,
  /**
   * Refused, dropped or unreachable, and the port is published by a container engine through a DNAT
   * rule ({@code userland-proxy=false}): the container behind the rule does not answer.
   */
  PUBLISHED_VIA_DNAT,
  /** Something else failed; the details carry the system's words. */
  UNKNOWN
}
