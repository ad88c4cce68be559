package dev.porthole.checks;

/** Returns what went wrong on the wire, before any diagnosis joins it with the system's state. */
public enum Failure {
  /** The name did not resolve to any address. */
  UNRESOLVED,
  /** The kernel answered the SYN with a reset (or ICMP port unreachable): connection refused. */
  REFUSED,
  /** No answer to the SYN within the timeout: a dropped packet. */
  CONNECT_TIMEOUT,
  /** No route to the address, or an ICMP host/admin-prohibited answer. */
  UNREACHABLE,
  /** Connected, then the peer reset the connection. */
  RESET,
  /** Connected, then the peer closed without a word. */
  CLOSED,
  /** Connected and asked, but no byte came back within the timeout. */
  NO_ANSWER,
  /** TLS was spoken to a port that answers plain text. */
  TLS_TO_PLAIN,
  /** Plain HTTP was spoken to a port that expects TLS. */
  PLAIN_TO_TLS,
  /** The TLS handshake failed for another reason. */
  TLS_FAILED,
  /** Bytes came back, but not an HTTP response. */
  NOT_HTTP,
  /** Anything else: the message says what. */
  OTHER
}
