package dev.porthole.capture;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * Writes HTTP exchanges of connection records as a HAR 1.2 log, shaped as Chrome's DevTools writes
 * it (timings with -1 for phases that did not happen, {@code _transferSize}, {@code connection} as
 * the connection id, text bodies as text, others base64). The entry of a WebSocket upgrade carries
 * the connection's frames as Chrome's {@code _webSocketMessages} ({@code type} send/receive, {@code
 * time} in epoch seconds, {@code opcode}, {@code data}: text, or base64 for binary frames).
 */
public final class HarWriter {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final String creatorVersion;

  /** Returns a writer that names porthole {@code version} as the log's creator. */
  public HarWriter(String creatorVersion) {
    this.creatorVersion = creatorVersion;
  }

  /** Writes the log of {@code records}' exchanges, in the order they started, to {@code out}. */
  public void write(List<ConnectionRecord> records, OutputStream out) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode log = root.putObject("log");
    log.put("version", "1.2");
    ObjectNode creator = log.putObject("creator");
    creator.put("name", "porthole");
    creator.put("version", creatorVersion);
    log.putArray("pages");
    ArrayNode entries = log.putArray("entries");
    records.stream()
        .flatMap(r -> r.exchanges().stream().map(x -> new Object[] {r, x}))
        .sorted(
            java.util.Comparator.comparingLong(
                o -> started((ConnectionRecord) o[0], (HttpExchange) o[1])))
        .forEach(o -> entries.add(entry((ConnectionRecord) o[0], (HttpExchange) o[1])));
    JSON.writeValue(out, root);
  }

  private static long started(ConnectionRecord r, HttpExchange x) {
    return r.openedMillis() * 1000 + x.startMicros();
  }

  private ObjectNode entry(ConnectionRecord r, HttpExchange x) {
    ObjectNode e = JSON.createObjectNode();
    long startMicros = started(r, x);
    e.put("startedDateTime", Instant.ofEpochSecond(0, startMicros * 1000).toString());
    double send = span(x.startMicros(), x.sentMicros());
    // After a 100 Continue the body is sent after the first response byte: wait is then 0.
    double wait =
        x.firstByteMicros() < 0
            ? -1
            : span(Math.max(x.startMicros(), x.sentMicros()), x.firstByteMicros());
    double receive =
        x.endMicros() < 0 || x.firstByteMicros() < 0
            ? -1
            : span(x.firstByteMicros(), x.endMicros());
    e.put("time", Math.max(0, send) + Math.max(0, wait) + Math.max(0, receive));
    e.set("request", request(r, x));
    e.set("response", response(x));
    e.putObject("cache");
    ObjectNode t = e.putObject("timings");
    t.put("blocked", -1);
    t.put("dns", -1);
    t.put("ssl", -1);
    t.put("connect", -1);
    t.put("send", Math.max(0, send));
    t.put("wait", Math.max(0, wait));
    t.put("receive", Math.max(0, receive));
    String upstream = r.upstream();
    e.put(
        "serverIPAddress",
        upstream.substring(0, upstream.lastIndexOf(':')).replace("[", "").replace("]", ""));
    e.put("connection", Long.toString(r.id()));
    e.put("_porthole_proxy", r.proxy());
    e.put("_porthole_client", r.client());
    if (x.status() == 101 && "websocket".equals(r.kind())) {
      e.put("_resourceType", "websocket");
      e.set("_webSocketMessages", messages(r));
    }
    return e;
  }

  private static ArrayNode messages(ConnectionRecord r) {
    ArrayNode a = JSON.createArrayNode();
    for (WebSocketFrame f : r.frames()) {
      ObjectNode m = a.addObject();
      m.put("type", f.side() == Side.CLIENT ? "send" : "receive");
      m.put("time", (r.openedMillis() * 1000 + f.micros()) / 1e6);
      m.put("opcode", f.opcode());
      m.put("data", f.data());
    }
    return a;
  }

  private static double span(long from, long to) {
    return from < 0 || to < 0 ? -1 : Math.max(0, to - from) / 1000.0;
  }

  private ObjectNode request(ConnectionRecord r, HttpExchange x) {
    ObjectNode q = JSON.createObjectNode();
    q.put("method", x.method());
    q.put("url", url(r, x));
    q.put("httpVersion", x.version());
    q.putArray("cookies");
    q.set("headers", headers(x.requestHeaders()));
    ArrayNode query = q.putArray("queryString");
    int mark = x.target().indexOf('?');
    if (mark >= 0) {
      for (String pair : x.target().substring(mark + 1).split("&")) {
        if (!pair.isEmpty()) {
          int eq = pair.indexOf('=');
          ObjectNode p = query.addObject();
          p.put("name", eq < 0 ? pair : pair.substring(0, eq));
          p.put("value", eq < 0 ? "" : pair.substring(eq + 1));
        }
      }
    }
    if (x.requestBodySize() > 0) {
      ObjectNode post = q.putObject("postData");
      String type = HttpExchange.header(x.requestHeaders(), "Content-Type");
      post.put("mimeType", type == null ? "" : type);
      post.put("text", new String(x.requestBody(), StandardCharsets.UTF_8));
    }
    q.put("headersSize", -1);
    q.put("bodySize", x.requestBodySize());
    return q;
  }

  private static String url(ConnectionRecord r, HttpExchange x) {
    if (x.target().contains("://")) {
      return x.target();
    }
    String host = HttpExchange.header(x.requestHeaders(), "Host");
    // As Chrome writes it: a WebSocket's entry has a ws:// URL.
    String scheme = x.status() == 101 && "websocket".equals(r.kind()) ? "ws://" : "http://";
    return scheme + (host == null ? r.listen() : host) + x.target();
  }

  private ObjectNode response(HttpExchange x) {
    ObjectNode s = JSON.createObjectNode();
    s.put("status", x.status());
    s.put("statusText", x.reason() == null ? "" : x.reason());
    s.put("httpVersion", x.status() == 0 ? "" : x.version());
    s.putArray("cookies");
    s.set("headers", headers(x.responseHeaders()));
    ObjectNode content = s.putObject("content");
    String type = HttpExchange.header(x.responseHeaders(), "Content-Type");
    String encoding = HttpExchange.header(x.responseHeaders(), "Content-Encoding");
    // A decoded body's size is what was decoded (of the kept prefix); otherwise the true size.
    boolean decoded = encoding != null && x.responseBody().length > 0;
    long size = decoded ? x.responseBody().length : x.responseBodySize();
    content.put("size", size);
    if (decoded) {
      content.put("compression", size - x.responseBodySize());
    }
    content.put("mimeType", type == null ? "x-unknown" : type);
    if (x.responseBody().length > 0) {
      if (textual(type)) {
        content.put("text", new String(x.responseBody(), StandardCharsets.UTF_8));
      } else {
        content.put("text", Base64.getEncoder().encodeToString(x.responseBody()));
        content.put("encoding", "base64");
      }
    }
    String location = HttpExchange.header(x.responseHeaders(), "Location");
    s.put("redirectURL", location == null ? "" : location);
    s.put("headersSize", -1);
    s.put("bodySize", x.responseBodySize());
    s.put("_transferSize", x.responseBodySize());
    return s;
  }

  private static boolean textual(String type) {
    if (type == null) {
      return false;
    }
    String t = type.toLowerCase(java.util.Locale.ROOT);
    return t.startsWith("text/")
        || t.contains("json")
        || t.contains("xml")
        || t.contains("javascript")
        || t.contains("x-www-form-urlencoded");
  }

  private static ArrayNode headers(List<Header> headers) {
    ArrayNode a = JSON.createArrayNode();
    for (Header h : headers) {
      ObjectNode n = a.addObject();
      n.put("name", h.name());
      n.put("value", h.value());
    }
    return a;
  }
}
