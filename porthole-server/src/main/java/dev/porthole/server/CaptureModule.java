package dev.porthole.server;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.porthole.capture.CaptureFeed;
import dev.porthole.capture.HarWriter;
import dev.porthole.capture.PcapWriter;
import dev.porthole.capture.TrafficStats;
import dev.porthole.proxy.ProxyException;
import dev.porthole.store.CaptureTable;
import dev.porthole.text.Durations;
import dev.porthole.text.Numbers;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Returns the capture routes: the live feed ({@code GET /api/capture/events?after=N}), the
 * recorder's health ({@code /api/capture/status}), and per proxy its records ({@code
 * /api/proxies/{proxy}/capture}), HAR ({@code .../capture.har}), pcap ({@code .../capture.pcap})
 * and statistics ({@code .../stats}). Exports take {@code since=10m} and {@code connection=ID}.
 */
final class CaptureModule implements ApiModule {
  /** The records route's bound, as before streaming; HAR and pcap take every matching record. */
  private static final int RECORDS_LIMIT = 10_000;

  private final DaemonServices services;
  private final CaptureService capture;

  CaptureModule(DaemonServices services) {
    this.services = services;
    this.capture = services.capture();
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.get("/api/capture/events", this::events);
    routes.get("/api/capture/status", this::status);
    routes.get("/api/proxies/{proxy}/capture", this::records);
    routes.get("/api/proxies/{proxy}/capture.har", this::har);
    routes.get("/api/proxies/{proxy}/capture.pcap", this::pcap);
    routes.get("/api/proxies/{proxy}/stats", this::stats);
  }

  private void events(Context ctx) {
    long after = longParam(ctx, "after", 0);
    int limit = (int) Math.min(longParam(ctx, "limit", 1000), 5000); // capped before the cast
    String proxies = ctx.queryParam("proxy");
    Set<String> only = proxies == null || proxies.isBlank() ? Set.of() : Set.of(proxies.split(","));
    CaptureFeed.Page page = capture.feed().after(after, limit);
    List<CaptureFeed.Event> events =
        page.events().stream().filter(e -> only.isEmpty() || only.contains(e.proxy())).toList();
    json(ctx, new CaptureFeed.Page(page.next(), page.last(), page.missed(), events));
  }

  private void status(Context ctx) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("enabled", capture.config().enabled());
    body.put("bodyLimit", capture.config().settings().bodyLimit());
    body.put("retention", Durations.format(capture.config().retention().maxAge()));
    body.put("maxBytes", capture.config().retention().maxBytes());
    body.put("droppedChunks", capture.recorder().droppedChunks());
    body.put("droppedRecords", capture.writer().dropped());
    body.put("written", capture.writer().written());
    body.put("pruned", capture.writer().pruned());
    body.put("notHttp", capture.recorder().notHttp());
    body.put("backlogBytes", capture.recorder().backlogBytes());
    body.put("heldBytes", capture.recorder().heldBytes());
    body.put("notKept", capture.recorder().notKept());
    CaptureTable.Totals totals = capture.totals();
    body.put("storedRecords", totals.rows());
    body.put("storedBytes", totals.bytes());
    json(ctx, body);
  }

  private void records(Context ctx) {
    CaptureTable.Query q = query(ctx, RECORDS_LIMIT);
    StreamedDownload.send(
        ctx,
        "application/json",
        null,
        out -> {
          try (JsonGenerator g = Json.MAPPER.createGenerator(out)) {
            g.writeStartArray();
            each(q, CaptureTable.Order.STORED, row -> Json.MAPPER.writeValue(g, row.record()));
            g.writeEndArray();
          }
        });
  }

  private void har(Context ctx) {
    CaptureTable.Query q = query(ctx, 0);
    StreamedDownload.send(
        ctx,
        "application/json",
        ctx.pathParam("proxy") + ".har",
        out -> {
          // Entries that must wait past the log's memory budget go beside the store, not to /tmp
          // (often a RAM disk).
          HarWriter har = new HarWriter(services.version());
          try (HarWriter.Log log = har.open(out, services.dataDir())) {
            // The rank is the row id: ties come out in the order the records were stored.
            each(q, CaptureTable.Order.OPENED, row -> log.add(row.row(), row.record()));
          }
        });
  }

  private void pcap(Context ctx) {
    CaptureTable.Query q = query(ctx, 0);
    StreamedDownload.send(
        ctx,
        "application/vnd.tcpdump.pcap",
        ctx.pathParam("proxy") + ".pcap",
        out -> {
          PcapWriter w = new PcapWriter(out);
          // In the order the connections opened, so the packets' times mostly rise.
          each(q, CaptureTable.Order.OPENED, row -> w.write(row.record()));
          w.flush();
        });
  }

  /** Writes one record; may fail with an I/O error (the client went away). */
  @FunctionalInterface
  private interface RecordSink {
    void write(CaptureTable.Row row) throws IOException;
  }

  private void each(CaptureTable.Query q, CaptureTable.Order order, RecordSink sink)
      throws IOException {
    try {
      capture.forEach(
          q,
          order,
          row -> {
            try {
              sink.write(row);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private void stats(Context ctx) {
    String proxy = existing(ctx);
    TrafficStats.Snapshot s = capture.stats().snapshot(proxy);
    if (s == null) {
      TrafficStats.Line zero = new TrafficStats.Line("*", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
      s = new TrafficStats.Snapshot(proxy, 0, zero, List.of());
    }
    json(ctx, s);
  }

  private CaptureTable.Query query(Context ctx, int limit) {
    String proxy = existing(ctx);
    long since = 0;
    String s = ctx.queryParam("since");
    if (s != null) {
      try {
        since = System.currentTimeMillis() - Durations.parse(s, "since").toMillis();
      } catch (IllegalArgumentException e) {
        throw ApiError.badRequest(e.getMessage());
      }
    }
    long connection = longParam(ctx, "connection", 0);
    return new CaptureTable.Query(proxy, since, connection, 0, limit);
  }

  /** Returns the path's proxy name, or a 404 when no such proxy exists. */
  private String existing(Context ctx) {
    String proxy = ctx.pathParam("proxy");
    try {
      services.proxies().get(proxy);
    } catch (ProxyException e) {
      throw ApiError.notFound("proxy not found: " + proxy);
    }
    return proxy;
  }

  private static long longParam(Context ctx, String name, long fallback) {
    String v = ctx.queryParam(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      return Numbers.parseLong(v, name, 0, Long.MAX_VALUE);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(e.getMessage());
    }
  }

  private static void json(Context ctx, Object body) {
    ctx.contentType("application/json").result(Json.write(body));
  }
}
