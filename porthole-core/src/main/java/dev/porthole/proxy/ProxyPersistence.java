package dev.porthole.proxy;

import dev.porthole.sockets.Protocol;
import java.util.List;

/**
 * Returns where the control plane keeps its proxies between runs (the daemon's SQLite store), so
 * they survive a restart; {@link #NONE} forgets them like Toxiproxy does.
 */
public interface ProxyPersistence {
  /**
   * Returns a proxy as stored.
   *
   * @param name the unique name
   * @param protocol TCP or UDP
   * @param listen the last bound address (or the address as given, never bound)
   * @param upstream the upstream as given
   * @param enabled whether it should listen
   * @param toxics in chain order, upstream first
   */
  record Stored(
      String name,
      Protocol protocol,
      String listen,
      String upstream,
      boolean enabled,
      List<ToxicState> toxics) {}

  /** Returns every stored proxy in creation order. */
  List<Stored> load();

  /** Creates or replaces one proxy and its toxics. */
  void save(Stored proxy);

  /** Removes one proxy and its toxics; nothing happens if it is not there. */
  void delete(String name);

  /** Keeps nothing. */
  ProxyPersistence NONE =
      new ProxyPersistence() {
        @Override
        public List<Stored> load() {
          return List.of();
        }

        @Override
        public void save(Stored proxy) {}

        @Override
        public void delete(String name) {}
      };
}
