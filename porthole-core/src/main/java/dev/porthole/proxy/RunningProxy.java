package dev.porthole.proxy;

import java.net.InetSocketAddress;
import java.util.List;

/** Returns a handle on one listening proxy started by {@link ProxyEngine#start}. */
public interface RunningProxy extends AutoCloseable {
  /** Returns the address the proxy is bound to (the real port when started with port 0). */
  InetSocketAddress localAddress();

  /**
   * Replaces the whole toxic list (both directions, each in order) live, on existing and new
   * connections. Diff by name: an unchanged toxic keeps its state; a changed one is restarted with
   * toxicity re-rolled (limit_data keeps its byte count); a removed one passes on what it buffered
   * (timeout: closes its links).
   */
  void toxics(List<ToxicSpec> toxics);

  /** Returns the proxy's byte and connection counters. */
  ProxyStats stats();

  /** Drops live connections and keeps listening. */
  void closeConnections();

  /** Closes the listener and all connections. */
  @Override
  void close();
}
