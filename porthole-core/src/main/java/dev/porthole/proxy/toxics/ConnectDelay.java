package dev.porthole.proxy.toxics;

/**
 * Returns porthole's connect-time fault that waits {@code delay} ms after accepting a connection
 * before dialing the upstream. The client's connect() succeeds at once (the kernel completes the
 * handshake), but its first answer comes {@code delay} ms later: a slow accept or a slow upstream
 * dial. The stream is ignored; toxicity is the share of new connections delayed.
 */
public final class ConnectDelay extends Toxic {
  /** Returns the "connect_delay" type: {"delay": ms}. */
  public static final ToxicType TYPE =
      BasicToxicType.builder("connect_delay")
          .attr("delay", 0L, 0, BasicToxicType.MAX_MS)
          .atConnect()
          .build(a -> new ConnectDelay());

  private ConnectDelay() {}
}
