package dev.porthole.sockets;

/**
 * Returns a socket's state as the kernel reports it in {@code /proc/net/*}.
 *
 * <p>TCP states keep the kernel's names. An unconnected UDP socket is {@link #UNCONN} (as {@code
 * ss} shows it): for UDP that is the "listening" state.
 */
public enum SocketState {
  ESTABLISHED,
  SYN_SENT,
  SYN_RECV,
  FIN_WAIT1,
  FIN_WAIT2,
  TIME_WAIT,
  CLOSE,
  CLOSE_WAIT,
  LAST_ACK,
  LISTEN,
  CLOSING,
  NEW_SYN_RECV,
  UNCONN;

  // Index = the kernel's hex state code (include/net/tcp_states.h), 1-based.
  private static final SocketState[] TCP_CODES = {
    null, ESTABLISHED, SYN_SENT, SYN_RECV, FIN_WAIT1, FIN_WAIT2, TIME_WAIT, CLOSE, CLOSE_WAIT,
    LAST_ACK, LISTEN, CLOSING, NEW_SYN_RECV
  };

  /** Returns the state for a kernel code, or null when the code is unknown. */
  public static SocketState fromKernel(Protocol protocol, int code) {
    if (code <= 0 || code >= TCP_CODES.length) {
      return null;
    }
    SocketState state = TCP_CODES[code];
    // The kernel reuses TCP_CLOSE (7) for UDP sockets that are bound but not connected.
    return protocol == Protocol.UDP && state == CLOSE ? UNCONN : state;
  }

  /** Returns true for a TCP listener or an unconnected (receiving) UDP socket. */
  public boolean listening() {
    return this == LISTEN || this == UNCONN;
  }
}
