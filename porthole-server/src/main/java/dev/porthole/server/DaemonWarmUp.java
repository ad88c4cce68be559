package dev.porthole.server;

import dev.porthole.capture.CaptureFeed;
import dev.porthole.capture.CaptureListener;
import dev.porthole.capture.TrafficStats;
import dev.porthole.proxy.ProxyEngine;
import dev.porthole.proxy.ProxyPersistence.Stored;
import dev.porthole.proxy.ProxyState;
import dev.porthole.proxy.ProxyStats;
import dev.porthole.proxy.ProxyWarmUp;
import dev.porthole.sockets.Protocol;
import dev.porthole.store.CaptureTable;
import dev.porthole.store.CaptureWriter;
import dev.porthole.store.ProxyTable;
import dev.porthole.store.Store;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The daemon's warm-up, run once on a thread of its own after the API answers: first what the API
 * does to create a proxy (the request body parsed into a new proxy, the proxy answered as JSON in
 * both flavours, saved to and deleted from a proxy table), then connections through a throwaway
 * proxy ({@link ProxyWarmUp}) recorded into a writer, a feed and statistics like the capture's,
 * then create/delete pairs through a throwaway API server ({@link ApiWarmUp}).
 *
 * <p>All of it happens on throwaway state: an in-memory store and copies of the capture's
 * listeners, so nothing is listed, stored, streamed or logged. Without it, the first proxy a user
 * creates and its first connections load Jackson's parser and record accessors, SQLite's statements
 * for the proxy and capture tables and the statistics' histograms (some 190 classes, 100–300 ms of
 * CPU on a 2-core machine) while the user waits.
 */
public final class DaemonWarmUp {
  /**
   * Returns what the warm-up did: its connections, the records its writer stored in the throwaway
   * store, and whether the API's create path ran through.
   */
  public record Result(ProxyWarmUp.Result proxy, long stored, boolean created, int apiPairs) {
    /** Returns a result without API requests. */
    public Result(ProxyWarmUp.Result proxy, long stored, boolean created) {
      this(proxy, stored, created, 0);
    }
  }

  static final String NAME = "porthole-warm-up";

  private static final String NEW_PROXY =
      "{\"name\":\""
          + NAME
          + "\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"127.0.0.1:1\","
          + "\"enabled\":true}";

  private DaemonWarmUp() {}

  /**
   * Starts the warm-up of {@code engine} on a daemon thread, then of the API's create and delete
   * ({@link ApiWarmUp}); completes when it ended.
   */
  static CompletableFuture<Result> start(
      ProxyEngine engine, CaptureConfig capture, ApiWarmUp.Stop stop) {
    CompletableFuture<Result> done = new CompletableFuture<>();
    if ("false".equals(System.getProperty("porthole.warmup"))) {
      done.complete(new Result(new ProxyWarmUp.Result(0, 0), 0, false));
      return done;
    }
    Thread.ofPlatform()
        .daemon()
        .name("porthole-daemon-warmup")
        .start(
            () -> {
              Result r = run(engine, capture);
              int pairs = ApiWarmUp.run(engine, ApiWarmUp.PAIRS, ApiWarmUp.BUDGET_MILLIS, stop);
              done.complete(new Result(r.proxy(), r.stored(), r.created(), pairs));
            });
    return done;
  }

  /** Runs the warm-up on the calling thread. */
  static Result run(ProxyEngine engine, CaptureConfig capture) {
    try (Store store = Store.inMemory()) {
      boolean created = createPath(new ProxyTable(store));
      try (CaptureWriter writer = new CaptureWriter(new CaptureTable(store), capture.retention())) {
        List<CaptureListener> copies = List.of(writer, new CaptureFeed(64), new TrafficStats());
        ProxyWarmUp.Result proxy =
            ProxyWarmUp.run(engine, ProxyWarmUp.CONNECTIONS, ProxyWarmUp.BUDGET_MILLIS, copies);
        writer.flush();
        return new Result(proxy, writer.written(), created);
      }
    } catch (RuntimeException e) {
      // Only an optimisation: a real failure shows again, with its reason, in a real request.
      return new Result(new ProxyWarmUp.Result(0, 0), 0, false);
    }
  }

  /** Runs what {@code POST /api/proxies} does around the registry; returns true when it did. */
  private static boolean createPath(ProxyTable table) {
    var request = RequestBodies.newProxy(RequestBodies.parse(NEW_PROXY));
    ProxyState state =
        new ProxyState(
            request.name(),
            Protocol.TCP,
            request.listen(),
            request.upstream(),
            true,
            List.of(),
            new ProxyStats(0, 0, 0, 0));
    Json.write(ProxyJson.detailed(state));
    Json.write(ProxyJson.proxy(state));
    table.save(new Stored(NAME, Protocol.TCP, state.listen(), state.upstream(), true, List.of()));
    table.delete(NAME);
    return table.load().isEmpty();
  }
}
