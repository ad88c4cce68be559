package dev.porthole.proxy;

import dev.porthole.sockets.Protocol;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Returns one named proxy's mutable state inside the registry (guarded by the registry's lock). */
final class ManagedProxy {
  final String name;
  final Protocol protocol;
  String listen;
  String upstream;
  RunningProxy running;
  // In the order added; the API shows upstream ones first.
  final List<ToxicState> toxics = new ArrayList<>();
  // Counters of earlier runs, so stats survive disable/enable.
  private long bytesUp;
  private long bytesDown;
  private long connections;

  ManagedProxy(String name, Protocol protocol, String listen, String upstream) {
    this.name = name;
    this.protocol = protocol;
    this.listen = listen;
    this.upstream = upstream;
  }

  boolean enabled() {
    return running != null;
  }

  /** Returns the toxics in chain order: upstream first, each direction in the order added. */
  List<ToxicState> ordered() {
    List<ToxicState> out = new ArrayList<>(toxics);
    out.sort(Comparator.comparing(t -> t.direction() == Direction.UPSTREAM ? 0 : 1));
    return out;
  }

  int indexOf(String toxic) {
    for (int i = 0; i < toxics.size(); i++) {
      if (toxics.get(i).name().equals(toxic)) {
        return i;
      }
    }
    return -1;
  }

  /** Returns the engine's toxic list for this proxy. */
  List<ToxicSpec> specs() {
    return ordered().stream().map(ToxicState::spec).toList();
  }

  /** Hands the current toxic list to the running proxy, if it runs. */
  void applyToxics() {
    if (running != null) {
      running.toxics(specs());
    }
  }

  /** Stops listening and closes every connection; keeps the counters. */
  void stop() {
    if (running == null) {
      return;
    }
    ProxyStats s = running.stats();
    bytesUp += s.bytesUpstream();
    bytesDown += s.bytesDownstream();
    connections += s.connectionsTotal();
    RunningProxy r = running;
    running = null;
    r.close();
  }

  ProxyStats stats() {
    if (running == null) {
      return new ProxyStats(bytesUp, bytesDown, connections, 0);
    }
    ProxyStats s = running.stats();
    return new ProxyStats(
        bytesUp + s.bytesUpstream(),
        bytesDown + s.bytesDownstream(),
        connections + s.connectionsTotal(),
        s.connectionsOpen());
  }

  ProxyState snapshot() {
    return new ProxyState(name, protocol, listen, upstream, enabled(), ordered(), stats());
  }

  ProxyPersistence.Stored stored(boolean enabled) {
    return new ProxyPersistence.Stored(name, protocol, listen, upstream, enabled, ordered());
  }
}
