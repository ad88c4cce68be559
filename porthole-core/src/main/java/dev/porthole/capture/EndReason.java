package dev.porthole.capture;

/** How a captured connection ended; {@link #label()} is what the API and the CLI show. */
public enum EndReason {
  /** Both sides half-closed in order (FIN each way). */
  FIN("fin"),
  /** The client reset the connection (RST from the client). */
  RESET_BY_CLIENT("rst-client"),
  /** The upstream reset the connection (RST from the upstream). */
  RESET_BY_SERVER("rst-server"),
  /** A toxic closed or reset it (reset_peer, limit_data, timeout, ...). */
  TOXIC("toxic"),
  /** A UDP session expired without datagrams. */
  TIMEOUT("timeout"),
  /** The refuse toxic turned the client away before any dial. */
  REFUSED("refused"),
  /** The upstream could not be dialled. */
  DIAL_FAILED("dial-failed"),
  /** The proxy cut it: its client was one of porthole's own upstream sockets (a proxy loop). */
  LOOP("loop"),
  /** The proxy closed it (proxy stopped, disabled, or connections reset through the API). */
  CLOSED("closed");

  private final String label;

  EndReason(String label) {
    this.label = label;
  }

  /** Returns the stable lowercase label ("fin", "rst-client", ...). */
  public String label() {
    return label;
  }
}
