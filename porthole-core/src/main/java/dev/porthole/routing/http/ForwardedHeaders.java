package dev.porthole.routing.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;

/**
 * Rewrites the requests of one client connection for the upstream: hop-by-hop headers removed (RFC
 * 9110 §7.6.1) except an upgrade's, and {@code X-Forwarded-For/Proto/Host} and {@code Forwarded}
 * (RFC 7239) set so the upstream sees the client, the scheme and the name it was reached by.
 *
 * <p>One per connection (or HTTP/2 stream): the client's address is formatted once, and the {@code
 * Forwarded} element once per {@code Host}, not on every keep-alive request (JFR showed the
 * formatting as most of the router's own time per request).
 */
final class ForwardedHeaders {
  // AsciiString names: their hash is computed once, not on every lookup.
  private static final List<AsciiString> HOP_BY_HOP =
      List.of(
          HttpHeaderNames.KEEP_ALIVE,
          HttpHeaderNames.PROXY_CONNECTION,
          HttpHeaderNames.TE,
          HttpHeaderNames.TRAILER,
          HttpHeaderNames.PROXY_AUTHORIZATION,
          AsciiString.cached("x-http2-scheme"),
          AsciiString.cached("x-http2-stream-id"),
          AsciiString.cached("x-http2-path"));
  private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
  private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
  private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
  private static final AsciiString FORWARDED = AsciiString.cached("forwarded");

  private final String proto;
  private final String ip;
  private final String node;
  private String lastHost;
  private String lastElement;

  /** Returns the rewriter for the requests from {@code client} over {@code proto}. */
  ForwardedHeaders(InetSocketAddress client, String proto) {
    this.proto = proto;
    String a =
        client.getAddress() == null ? client.getHostString() : client.getAddress().getHostAddress();
    int zone = a.indexOf('%');
    ip = zone < 0 ? a : a.substring(0, zone);
    node = client.getAddress() instanceof Inet6Address ? "\"[" + ip + "]\"" : ip;
  }

  /** Rewrites {@code h} in place; {@code upgrade} keeps the headers of a protocol switch. */
  void apply(HttpHeaders h, boolean upgrade) {
    String host = h.get(HttpHeaderNames.HOST, "");
    if (h.contains(HttpHeaderNames.CONNECTION)) {
      for (String listed : h.getAll(HttpHeaderNames.CONNECTION)) {
        for (String name : listed.split(",")) {
          String n = name.strip().toLowerCase(Locale.ROOT);
          if (!n.isEmpty() && !(upgrade && n.equals("upgrade"))) {
            h.remove(n);
          }
        }
      }
    }
    for (AsciiString name : HOP_BY_HOP) {
      h.remove(name);
    }
    if (upgrade) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
    } else {
      h.remove(HttpHeaderNames.CONNECTION).remove(HttpHeaderNames.UPGRADE);
    }
    String before = h.get(X_FORWARDED_FOR);
    h.set(X_FORWARDED_FOR, before == null ? ip : before + ", " + ip);
    h.set(X_FORWARDED_PROTO, proto);
    h.set(X_FORWARDED_HOST, host);
    String element = element(host);
    String forwarded = h.get(FORWARDED);
    h.set(FORWARDED, forwarded == null ? element : forwarded + ", " + element);
  }

  /** Returns this client's {@code Forwarded} element for {@code host}, the last if it repeats. */
  private String element(String host) {
    if (!host.equals(lastHost)) {
      lastElement = "for=" + node + ";host=" + quoted(host) + ";proto=" + proto;
      lastHost = host;
    }
    return lastElement;
  }

  private static String quoted(String host) {
    boolean token = !host.isEmpty();
    for (int i = 0; i < host.length() && token; i++) {
      char c = host.charAt(i);
      token = Character.isLetterOrDigit(c) || c == '.' || c == '-';
    }
    return token ? host : "\"" + host.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
