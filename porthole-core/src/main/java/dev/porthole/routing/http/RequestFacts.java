package dev.porthole.routing.http;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Locale;

/**
 * Returns what the router needs to know of a request before routing it.
 *
 * @param host the Host header without its port, lower-cased ("api.localhost"), or empty
 * @param json whether the client asked for JSON rather than a page ({@code Accept})
 * @param upgrade whether it asks to switch protocols (WebSocket)
 */
record RequestFacts(String host, boolean json, boolean upgrade) {
  static RequestFacts of(HttpRequest req) {
    String accept = req.headers().get(HttpHeaderNames.ACCEPT, "");
    boolean upgrade =
        req.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
            && req.headers().contains(HttpHeaderNames.UPGRADE);
    return new RequestFacts(
        hostOnly(req.headers().get(HttpHeaderNames.HOST)),
        accept.contains("application/json") && !accept.contains("text/html"),
        upgrade);
  }

  /** Returns the client's address (an HTTP/2 stream answers with its connection's). */
  static InetSocketAddress client(Channel ch) {
    SocketAddress a = ch.remoteAddress();
    return a instanceof InetSocketAddress i ? i : new InetSocketAddress("127.0.0.1", 0);
  }

  /** Returns a Host header without its port, lower-cased. */
  static String hostOnly(String host) {
    if (host == null) {
      return "";
    }
    String h = host.strip();
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? h : h.substring(0, end + 1);
    }
    int colon = h.lastIndexOf(':');
    return (colon < 0 ? h : h.substring(0, colon)).toLowerCase(Locale.ROOT);
  }
}
