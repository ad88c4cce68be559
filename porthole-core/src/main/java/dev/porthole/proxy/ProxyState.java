package dev.porthole.proxy;

import dev.porthole.sockets.Protocol;
import java.util.List;

/**
 * Returns a snapshot of one named proxy.
 *
 * @param name the unique name
 * @param protocol TCP or UDP
 * @param listen the bound address while listening, else the address as given
 * @param upstream the upstream exactly as given
 * @param enabled whether it listens
 * @param toxics upstream toxics first, each direction in the order added
 * @param stats traffic counters since the daemon started
 */
public record ProxyState(
    String name,
    Protocol protocol,
    String listen,
    String upstream,
    boolean enabled,
    List<ToxicState> toxics,
    ProxyStats stats) {
  public ProxyState {
    toxics = List.copyOf(toxics);
  }
}
