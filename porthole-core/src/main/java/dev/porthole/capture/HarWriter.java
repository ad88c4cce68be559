package dev.porthole.capture;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.porthole.http1.Header;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
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

  /** Bytes of waiting entries a log keeps in memory before it writes them to files. */
  public static final long MEMORY_BUDGET = 8L << 20;

  private final String creatorVersion;

  /** Returns a writer that names porthole {@code version} as the log's creator. */
  public HarWriter(String creatorVersion) {
    this.creatorVersion = creatorVersion;
  }

  /** Writes the log of {@code records}' exchanges, in the order they started, to {@code out}. */
  public void write(List<ConnectionRecord> records, OutputStream out) throws IOException {
    Integer[] order = new Integer[records.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingLong(i -> records.get(i).openedMillis()));
    try (Log log = open(out)) {
      for (int i : order) {
        log.add(i, records.get(i));
      }
    }
    out.close();
  }

  /**
   * Returns a log written to {@code out} entry by entry, for records handed to it in the order
   * their connections opened. Entries come out in the order they started, ties in the order of
   * {@code rank}: the same bytes as {@link #write} of the records sorted by rank. Entries that must
   * wait beyond {@value #MEMORY_BUDGET} bytes go to files in the JVM's temporary directory.
   */
  public Log open(OutputStream out) throws IOException {
    return open(out, Path.of(System.getProperty("java.io.tmpdir")));
  }

  /** Returns {@link #open(OutputStream)}'s log, its entries past the budget in {@code spillDir}. */
  public Log open(OutputStream out, Path spillDir) throws IOException {
    return open(out, spillDir, MEMORY_BUDGET);
  }

  /** Returns a log that keeps up to {@code budget} bytes of waiting entries in memory. */
  Log open(OutputStream out, Path spillDir, long budget) throws IOException {
    return new Log(out, new HarEntryQueue(spillDir, budget));
  }

  /**
   * A HAR log being written. An exchange cannot start before its connection opened, so each
   * exchange that started before the latest record's opening is final and written out. What waits
   * is the exchanges of connections still open at that time, which with enough overlap is the
   * whole log: it waits in memory up to a budget and in sorted files beyond it.
   */
  public final class Log implements AutoCloseable {
    private final JsonGenerator out;
    private final HarEntryQueue pending;
    private long opened = Long.MIN_VALUE;

    private Log(OutputStream stream, HarEntryQueue pending) throws IOException {
      this.pending = pending;
      out = JSON.createGenerator(stream, JsonEncoding.UTF8);
      out.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      out.writeStartObject();
      out.writeObjectFieldStart("log");
      out.writeStringField("version", "1.2");
      out.writeObjectFieldStart("creator");
      out.writeStringField("name", "porthole");
      out.writeStringField("version", creatorVersion);
      out.writeEndObject();
      out.writeArrayFieldStart("pages");
      out.writeEndArray();
      out.writeArrayFieldStart("entries");
    }

    /** Adds {@code r}'s exchanges; {@code r} opened no earlier than the records added before. */
    public void add(long rank, ConnectionRecord r) throws IOException {
      if (r.openedMillis() < opened) {
        throw new IllegalArgumentException("records out of opening order: " + r.id());
      }
      opened = r.openedMillis();
      // Strictly before: a later record opened at the same time may rank first on a tie.
      for (ObjectNode e; (e = pending.pollBefore(opened * 1000)) != null; ) {
        JSON.writeTree(out, e);
      }
      // Rendered now, so what waits is the entries, not the whole record (its raw chunks).
      List<HttpExchange> exchanges = r.exchanges();
      for (int i = 0; i < exchanges.size(); i++) {
        HttpExchange x = exchanges.get(i);
        pending.add(
            new HarEntryQueue.Key(started(r, x), rank, i), entry(r, x), estimatedSize(r, x));
      }
    }

    /** Returns how many times waiting entries went to disk (0 when they fitted the budget). */
    int spills() {
      return pending.runs();
    }

    /** Writes the exchanges still waiting and ends the log; does not close the stream. */
    @Override
    public void close() throws IOException {
      try {
        for (ObjectNode e; (e = pending.poll()) != null; ) {
          JSON.writeTree(out, e);
        }
        out.writeEndArray();
        out.writeEndObject();
        out.writeEndObject();
        out.close();
      } finally {
        pending.close();
      }
    }
  }

  /** Returns about how many bytes an exchange's entry takes on the heap (bodies dominate). */
  private static long estimatedSize(ConnectionRecord r, HttpExchange x) {
    long size = 1024 + x.requestBody().length + 2L * x.responseBody().length; // base64 or text
    for (Header h : x.requestHeaders()) {
      size += 64 + h.name().length() + h.value().length();
    }
    for (Header h : x.responseHeaders()) {
      size += 64 + h.name().length() + h.value().length();
    }
    if (x.status() == 101 && "websocket".equals(r.kind())) {
      for (WebSocketFrame f : r.frames()) {
        size += 64 + 2L * f.data().length();
      }
    }
    return size;
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
      String type = Header.first(x.requestHeaders(), "Content-Type");
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
    String host = Header.first(x.requestHeaders(), "Host");
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
    String type = Header.first(x.responseHeaders(), "Content-Type");
    String encoding = Header.first(x.responseHeaders(), "Content-Encoding");
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
    String location = Header.first(x.responseHeaders(), "Location");
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
