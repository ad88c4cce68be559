package dev.porthole.routing.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.porthole.checks.Diagnosis;
import dev.porthole.routing.Route;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Returns the router's own answers: 404 with the list of routes, 502 with the upstream's diagnosis;
 * an HTML page for browsers, JSON for {@code Accept: application/json}.
 */
final class ErrorPages {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ErrorPages() {}

  /** Returns the 404 for {@code host}, listing every route. */
  static FullHttpResponse noRoute(
      ByteBufAllocator alloc, String host, List<Route> routes, boolean json) {
    String title = "no route for " + (host == null || host.isEmpty() ? "(no Host header)" : host);
    if (json) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("error", title);
      body.put("status", 404);
      body.put("routes", routes.stream().map(ErrorPages::routeJson).toList());
      return response(alloc, HttpResponseStatus.NOT_FOUND, json(body), "application/json");
    }
    StringBuilder html = page(title);
    html.append("<p>Routes on this machine:</p>\n<ul>\n");
    for (Route r : routes) {
      html.append("<li><a href=\"//").append(esc(r.name())).append("/\">").append(esc(r.name()));
      html.append("</a> → ").append(esc(upstreams(r))).append("</li>\n");
    }
    if (routes.isEmpty()) {
      html.append(
          "<li>none yet: <code>porthole route add api.localhost 127.0.0.1:8080</code></li>\n");
    }
    html.append("</ul>\n</body></html>\n");
    return response(
        alloc, HttpResponseStatus.NOT_FOUND, html.toString(), "text/html; charset=utf-8");
  }

  /** Returns the 502 for {@code route}, carrying the diagnosis of its upstream. */
  static FullHttpResponse badGateway(
      ByteBufAllocator alloc, Route route, String upstream, Diagnosis d, boolean json) {
    String title = route.name() + ": upstream " + upstream + " did not answer";
    if (json) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("error", title);
      body.put("status", 502);
      body.put("route", route.name());
      body.put("upstream", upstream);
      body.put("diagnosis", d);
      return response(alloc, HttpResponseStatus.BAD_GATEWAY, json(body), "application/json");
    }
    StringBuilder html = page(title);
    html.append("<p><strong>").append(esc(d.summary())).append("</strong></p>\n<ul>\n");
    for (String line : d.details()) {
      html.append("<li>").append(esc(line)).append("</li>\n");
    }
    html.append("</ul>\n<p>Fix: ").append(esc(d.fix())).append("</p>\n");
    html.append("<p><code>porthole check ").append(esc(upstream)).append("</code></p>\n");
    html.append("</body></html>\n");
    return response(
        alloc, HttpResponseStatus.BAD_GATEWAY, html.toString(), "text/html; charset=utf-8");
  }

  /** Returns the 400 for a request the decoder could not read. */
  static FullHttpResponse badRequest(ByteBufAllocator alloc, Throwable cause) {
    String why = cause == null ? "malformed request" : cause.getMessage();
    return response(
        alloc,
        HttpResponseStatus.BAD_REQUEST,
        "bad request: " + why + "\n",
        "text/plain; charset=utf-8");
  }

  private static Map<String, Object> routeJson(Route r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", r.name());
    m.put("upstreams", r.upstreams().stream().map(Object::toString).toList());
    return m;
  }

  private static String upstreams(Route r) {
    return String.join(", ", r.upstreams().stream().map(Object::toString).toList());
  }

  private static StringBuilder page(String title) {
    return new StringBuilder("<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>")
        .append(esc(title))
        .append(" · porthole</title></head><body>\n<h1>")
        .append(esc(title))
        .append("</h1>\n");
  }

  private static String json(Object body) {
    try {
      return JSON.writeValueAsString(body) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  private static FullHttpResponse response(
      ByteBufAllocator alloc, HttpResponseStatus status, String body, String type) {
    ByteBuf buf = alloc.buffer();
    buf.writeCharSequence(body, StandardCharsets.UTF_8);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, buf);
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, buf.readableBytes());
    r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    return r;
  }
}
