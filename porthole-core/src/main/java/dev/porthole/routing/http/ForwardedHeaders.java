package dev.porthole.routing.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;

/**
 * Returns a request's headers made ready for the upstream: hop-by-hop headers removed (RFC 9110
 * §7.6.1) except an upgrade's, and {@code X-Forwarded-For/Proto/Host} and {@code Forwarded} (RFC
 * 7239) set so the upstream sees the client, the scheme and the name it was reached by.
 */
final class ForwardedHeaders {
  private static final List<String> HOP_BY_HOP =
      List.of("keep-alive", "proxy-connection", "te", "trailer", "proxy-authorization");

  private ForwardedHeaders() {}

  /** Rewrites {@code h} in place for a request from {@code client} over {@code proto}. */
  static void apply(HttpHeaders h, InetSocketAddress client, String proto, boolean upgrade) {
    String host = h.get(HttpHeaderNames.HOST, "");
    for (String listed : h.getAll(HttpHeaderNames.CONNECTION)) {
      for (String name : listed.split(",")) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        if (!n.isEmpty() && !(upgrade && n.equals("upgrade"))) {
          h.remove(n);
        }
      }
    }
    HOP_BY_HOP.forEach(h::remove);
    h.remove("x-http2-scheme");
    h.remove("x-http2-stream-id");
    h.remove("x-http2-path");
    if (upgrade) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
    } else {
      h.remove(HttpHeaderNames.CONNECTION);
      h.remove(HttpHeaderNames.UPGRADE);
    }
    String ip =
        client.getAddress() == null ? client.getHostString() : client.getAddress().getHostAddress();
    int zone = ip.indexOf('%');
    ip = zone < 0 ? ip : ip.substring(0, zone);
    String before = h.get("x-forwarded-for");
    h.set("x-forwarded-for", before == null ? ip : before + ", " + ip);
    h.set("x-forwarded-proto", proto);
    h.set("x-forwarded-host", host);
    String node = client.getAddress() instanceof Inet6Address ? "\"[" + ip + "]\"" : ip;
    String element = "for=" + node + ";host=" + quoted(host) + ";proto=" + proto;
    String forwarded = h.get("forwarded");
    h.set("forwarded", forwarded == null ? element : forwarded + ", " + element);
  }

  private static String quoted(String host) {
    boolean token =
        !host.isEmpty()
            && host.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '.' || c == '-');
    return token ? host : "\"" + host.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
