package dev.porthole.capture;

import java.net.InetSocketAddress;

/** Returns a {@link Tap} for each new connection of a proxy; {@link #NONE} records nothing. */
@FunctionalInterface
public interface Recorder {
  /** Returns a recorder whose taps ignore everything. */
  Recorder NONE = (proxy, id, protocol, client, listen, upstream) -> Tap.NONE;

  /**
   * Returns the tap of a connection just accepted (called on its event loop; must be quick).
   *
   * @param proxy the proxy's name
   * @param id the connection's number within the proxy
   * @param protocol "tcp" or "udp"
   * @param client the client's address
   * @param listen the proxy's listening address
   * @param upstream the upstream as configured
   */
  Tap open(
      String proxy,
      long id,
      String protocol,
      InetSocketAddress client,
      InetSocketAddress listen,
      String upstream);
}
