package dev.porthole.proxy;

import java.net.InetSocketAddress;

/** Returns callbacks for connections of one proxy (the CLI prints a line for each). */
public interface ConnectionListener {
  /** Returns a listener that ignores everything. */
  ConnectionListener NONE = new ConnectionListener() {};

  /** Returns the summary of a finished connection. */
  record Closed(
      long id,
      InetSocketAddress client,
      long bytesUpstream,
      long bytesDownstream,
      long durationMillis,
      String how) {}

  /** Called when a client connected and the upstream dial succeeded. */
  default void opened(long id, InetSocketAddress client) {}

  /**
   * Called when a connection could not be set up and the client was closed: {@code reason} says
   * why ("upstream 127.0.0.1:8080: Connection refused", or a connect-time toxic).
   */
  default void failed(long id, InetSocketAddress client, String reason) {}

  /** Called when a connection ended. */
  default void closed(Closed closed) {}
}
