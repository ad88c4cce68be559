package dev.porthole.server;

import dev.porthole.proxy.ProxyEngine;
import dev.porthole.proxy.ProxyOptions;
import dev.porthole.proxy.ProxyRegistry;
import dev.porthole.proxy.toxics.ToxicRegistry;
import dev.porthole.store.ProxyTable;
import dev.porthole.store.Store;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Returns the warm-up of the API's create and delete: a throwaway HTTP server with the proxy
 * routes of both flavours on a throwaway registry (the daemon's engine, an in-memory proxy table,
 * no log lines), and create/delete pairs sent to it one connection each, as a script's client
 * makes them. The JIT compiles code, not servers, so the daemon's own API then runs its first
 * {@code POST /api/proxies} through compiled Jetty, Javalin, JSON, registry and SQLite code.
 *
 * <p>Nothing of it is listed, stored, streamed or logged; it binds ephemeral loopback ports while
 * it runs. Without it every create ran the whole HTTP stack in C1's profiling tier: 7–9 ms of the
 * API thread's CPU per create and delete (docs/benchmarks.md, section connsetup).
 */
final class ApiWarmUp {
  /** Returns how many create/delete pairs the warm-up sends at most. */
  static final int PAIRS = 1_500;

  /** Returns the wall-clock budget of the warm-up. */
  static final long BUDGET_MILLIS = 8_000;

  /**
   * Returns the switch that stops a running warm-up: {@link #stop} returns once no pair is in
   * flight, so the daemon closes its engine under no warm-up create (which would answer 500 and
   * log a warning).
   */
  static final class Stop {
    private boolean stopped;

    /** Stops the warm-up, waiting for the pair in flight (a few ms) if there is one. */
    synchronized void stop() {
      stopped = true;
    }

    /** Runs {@code pair} unless stopped; returns false when stopped or the pair failed. */
    synchronized boolean run(PairCall pair) throws IOException {
      return !stopped && pair.call();
    }
  }

  /** One create/delete pair; returns whether both answered as expected. */
  interface PairCall {
    boolean call() throws IOException;
  }

  private ApiWarmUp() {}

  /**
   * Sends up to {@code pairs} within {@code budgetMillis} on {@code engine} until {@code stop};
   * returns how many.
   */
  static int run(ProxyEngine engine, int pairs, long budgetMillis, Stop stop) {
    long deadline = System.nanoTime() + budgetMillis * 1_000_000;
    int done = 0;
    Javalin app = null;
    try (Store store = Store.inMemory()) {
      ProxyRegistry registry =
          new ProxyRegistry(
                  engine,
                  ToxicRegistry.standard(),
                  new ProxyTable(store),
                  false,
                  ProxyOptions.DEFAULT_CONNECT_TIMEOUT)
              .quiet(); // never closed: it would close the daemon's engine
      StartupGate gate = new StartupGate();
      gate.open();
      app =
          HttpApp.start(
              "127.0.0.1",
              0,
              new SecurityGuard(true, null),
              gate,
              List.of(
                  new ProxyRoutes(registry, ProxyRoutes.Flavor.PORTHOLE),
                  new ProxyRoutes(registry, ProxyRoutes.Flavor.TOXIPROXY)));
      int port = app.port();
      while (done < pairs && System.nanoTime() < deadline && !engine.isClosed()) {
        // Both flavours: Toxiproxy's clients use /proxies, porthole's CLI /api/proxies.
        String prefix = done % 2 == 0 ? "/api" : "";
        String name = DaemonWarmUp.NAME + "-" + done;
        String body =
            "{\"name\":\"" + name + "\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"127.0.0.1:1\"}";
        boolean answered =
            stop.run(
                () ->
                    exchange(port, "POST", prefix + "/proxies", body, "201")
                        && exchange(port, "DELETE", prefix + "/proxies/" + name, null, "204"));
        if (!answered) {
          break;
        }
        done++;
      }
    } catch (IOException | RuntimeException e) {
      // Only an optimisation: the daemon is stopping or the machine is slow.
    } finally {
      if (app != null) {
        app.stop();
      }
    }
    return done;
  }

  /** Sends one request on a connection of its own; returns whether it answered {@code status}. */
  private static boolean exchange(int port, String method, String path, String body, String status)
      throws IOException {
    byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    String head =
        method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
            + "\r\nContent-Type: application/json\r\nContent-Length: " + content.length
            + "\r\nConnection: close\r\n\r\n";
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(2_000);
      OutputStream out = s.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(content);
      InputStream in = s.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      return answer.startsWith("HTTP/1.1 " + status + " ");
    }
  }
}
