package dev.porthole.server;

import dev.porthole.capture.CaptureFeed;
import dev.porthole.capture.CaptureRecorder;
import dev.porthole.capture.ConnectionRecord;
import dev.porthole.capture.TrafficStats;
import dev.porthole.proxy.ProxyEngine;
import dev.porthole.store.CaptureTable;
import dev.porthole.store.CaptureWriter;
import dev.porthole.store.Store;
import java.util.List;

/**
 * Returns the daemon's traffic capture: the recorder on the proxy engine, and what listens to it
 * (the store's writer, the live feed for {@code tail}, the statistics). Closed after the proxies,
 * before the store.
 */
public final class CaptureService implements AutoCloseable {
  private final CaptureConfig config;
  private final CaptureRecorder recorder;
  private final CaptureTable table;
  private final CaptureWriter writer;
  private final CaptureFeed feed = new CaptureFeed(10_000);
  private final TrafficStats stats = new TrafficStats();

  /** Returns the capture of {@code engine}'s proxies, kept in {@code store}. */
  public CaptureService(CaptureConfig config, ProxyEngine engine, Store store) {
    this.config = config;
    this.recorder = new CaptureRecorder(config.settings());
    this.table = new CaptureTable(store);
    this.writer = new CaptureWriter(table, config.retention());
    recorder.addListener(writer);
    recorder.addListener(feed);
    recorder.addListener(stats);
    if (config.enabled()) {
      engine.recorder(recorder);
    }
  }

  public CaptureConfig config() {
    return config;
  }

  public CaptureRecorder recorder() {
    return recorder;
  }

  public CaptureWriter writer() {
    return writer;
  }

  public CaptureFeed feed() {
    return feed;
  }

  public TrafficStats stats() {
    return stats;
  }

  /** Returns the stored records matching {@code q}, after what was recorded so far is stored. */
  public List<ConnectionRecord> records(CaptureTable.Query q) {
    recorder.sync();
    writer.flush();
    return table.query(q).stream().map(CaptureTable.Row::record).toList();
  }

  /** Returns the store's totals (rows, bytes). */
  public CaptureTable.Totals totals() {
    return table.totals();
  }

  @Override
  public void close() {
    recorder.close();
    writer.close();
  }
}
