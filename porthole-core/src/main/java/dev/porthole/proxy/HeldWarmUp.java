package dev.porthole.proxy;

import dev.porthole.capture.Recorder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Returns the part of a warm-up that runs chunks through a delaying toxic: ping-pongs of 64 bytes
 * through a throwaway proxy with a 1 ms latency toxic on each direction, on {@link #LINKS}
 * connections at once, until its budget ends.
 *
 * <p>Why: that path (the toxic's timer, its release and the write from a scheduled task, the loop's
 * early wake-up) runs only when a toxic lets a chunk go, 50 times a second under a 20 ms ping-pong,
 * so the JIT would take minutes to compile it and it would run interpreted meanwhile, with the
 * compiler threads taking the loop's CPU: traced, a 20 ms latency toxic held each chunk 236–243 µs
 * too long at the p50 when cold and 93–95 µs when compiled (docs/benchmarks.md). The proxy records
 * nothing and is in no registry.
 */
final class HeldWarmUp {
  /** Returns how many connections ping-pong at once (each link holds one chunk at a time). */
  static final int LINKS = 8;

  /** Returns the phase's own budget: a compiled path needs some thousands of releases. */
  static final long BUDGET_MILLIS = 1_000;

  private static final byte[] PING = new byte[64];

  private HeldWarmUp() {}

  /**
   * Returns how many chunks went through the toxic (both directions) on {@code engine}, in at most
   * {@code budgetMillis}, to the echo server at {@code upstream}.
   */
  static int run(ProxyEngine engine, int upstream, long budgetMillis) {
    if (budgetMillis <= 0) {
      return 0;
    }
    InetAddress loopback = InetAddress.getLoopbackAddress();
    ProxyOptions options =
        ProxyOptions.tcp(
            "warmup-held", new InetSocketAddress(loopback, 0), "127.0.0.1:" + upstream);
    Map<String, Object> oneMs = Map.of("latency", 1L, "jitter", 0L);
    AtomicInteger chunks = new AtomicInteger();
    try (RunningProxy proxy = engine.startUnlisted(options, Recorder.NONE, ConnectionListener.NONE)) {
      proxy.toxics(
          List.of(
              ToxicSpec.of("warmup_up", "latency", Direction.UPSTREAM, oneMs),
              ToxicSpec.of("warmup_down", "latency", Direction.DOWNSTREAM, oneMs)));
      long deadline = System.nanoTime() + budgetMillis * 1_000_000;
      List<Thread> links = new ArrayList<>();
      for (int i = 0; i < LINKS; i++) {
        links.add(Thread.ofVirtual().start(() -> pingPong(proxy.localAddress(), deadline, chunks)));
      }
      for (Thread link : links) {
        link.join();
      }
    } catch (IOException | RuntimeException e) {
      // Only an optimisation: keep what was warmed so far.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return chunks.get();
  }

  private static void pingPong(InetSocketAddress proxy, long deadline, AtomicInteger chunks) {
    try (Socket s = new Socket(proxy.getAddress(), proxy.getPort())) {
      s.setSoTimeout(2_000);
      s.setTcpNoDelay(true);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      while (System.nanoTime() < deadline) {
        out.write(PING);
        if (in.readNBytes(PING.length).length != PING.length) {
          return;
        }
        chunks.addAndGet(2);
      }
    } catch (IOException e) {
      // A loaded machine's timeout: this link stops, the others go on.
    }
  }
}
