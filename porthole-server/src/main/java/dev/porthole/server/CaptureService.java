package dev.porthole.server;

import dev.porthole.capture.CaptureFeed;
import dev.porthole.capture.CaptureRecorder;
import dev.porthole.capture.TrafficStats;
import dev.porthole.proxy.ProxyEngine;
import dev.porthole.store.CaptureTable;
import dev.porthole.store.CaptureWriter;
import dev.porthole.store.Store;
import java.util.function.Consumer;

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

  /**
   * Hands each stored record matching {@code q} to {@code each} in {@code order}, one in memory at
   * a time, after what was recorded so far is stored.
   */
  public void forEach(
      CaptureTable.Query q, CaptureTable.Order order, Consumer<CaptureTable.Row> each) {
    recorder.sync();
    writer.flush();
    table.forEach(q, order, each);
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
