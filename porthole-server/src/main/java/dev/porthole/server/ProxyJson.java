package dev.porthole.server;

import dev.porthole.proxy.ProxyState;
import dev.porthole.proxy.ProxyStats;
import dev.porthole.proxy.ToxicState;
import dev.porthole.sockets.Protocol;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Returns proxies and toxics as JSON-ready maps in Toxiproxy's key order, numbers printed like Go
 * ({@code 1}, {@code 0.5}, never {@code 1.0}).
 */
public final class ProxyJson {
  private ProxyJson() {}

  /** Returns Toxiproxy's proxy object; a UDP proxy adds {@code "protocol":"udp"}. */
  public static Map<String, Object> proxy(ProxyState p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", p.name());
    m.put("listen", p.listen());
    m.put("upstream", p.upstream());
    m.put("enabled", p.enabled());
    if (p.protocol() != Protocol.TCP) {
      m.put("protocol", p.protocol().label());
    }
    m.put("Logger", Map.of()); // a stray exported field Toxiproxy 2.12.0 emits; kept for parity
    m.put("toxics", toxics(p.toxics()));
    return m;
  }

  /** Returns porthole's own proxy object: Toxiproxy's keys plus protocol and counters. */
  public static Map<String, Object> detailed(ProxyState p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", p.name());
    m.put("protocol", p.protocol().label());
    m.put("listen", p.listen());
    m.put("upstream", p.upstream());
    m.put("enabled", p.enabled());
    m.put("toxics", toxics(p.toxics()));
    ProxyStats s = p.stats();
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("bytesUpstream", s.bytesUpstream());
    stats.put("bytesDownstream", s.bytesDownstream());
    stats.put("connectionsTotal", s.connectionsTotal());
    stats.put("connectionsOpen", s.connectionsOpen());
    m.put("stats", stats);
    return m;
  }

  public static List<Map<String, Object>> toxics(List<ToxicState> toxics) {
    return toxics.stream().map(ProxyJson::toxic).toList();
  }

  /** Returns Toxiproxy's toxic object. */
  public static Map<String, Object> toxic(ToxicState t) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    t.attributes().forEach((k, v) -> attributes.put(k, number(v)));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("attributes", attributes);
    m.put("name", t.name());
    m.put("type", t.type());
    m.put("stream", t.stream());
    m.put("toxicity", number(t.toxicity()));
    return m;
  }

  /** Returns a number that prints in Go's shortest form. */
  static Object number(Object v) {
    if (v instanceof Float f && !f.isInfinite() && !f.isNaN()) {
      return new BigDecimal(Float.toString(f)).stripTrailingZeros();
    }
    if (v instanceof Double d && !d.isInfinite() && !d.isNaN()) {
      return new BigDecimal(Double.toString(d)).stripTrailingZeros();
    }
    return v;
  }
}
