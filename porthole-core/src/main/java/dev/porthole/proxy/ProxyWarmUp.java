package dev.porthole.proxy;

import dev.porthole.capture.CaptureListener;
import dev.porthole.capture.CaptureRecorder;
import dev.porthole.capture.ConnectionRecord;
import dev.porthole.capture.Recorder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Returns the warm-up of an engine's proxy path: loopback connections through a throwaway proxy, so
 * that the first real connection through a new proxy finds the classes loaded and the hot methods
 * compiled (the first one of a fresh JVM otherwise costs it hundreds of milliseconds).
 *
 * <p>The throwaway proxy is invisible: it is not in any registry and reports nothing. When the
 * engine records (the daemon's capture), the warm-up's connections go through a recorder of their
 * own whose only listener counts them, so the recording path a real proxy's first connection takes
 * (its tap, decoder and HTTP parser) is loaded and compiled too, and nothing of the warm-up is
 * stored. A caller may add listeners of its own to that recorder ({@link #run(ProxyEngine, int,
 * long, List)}): the daemon hands it copies of its writer, feed and statistics on throwaway state,
 * so that a record's first write is warmed as well. It runs on its own daemon thread and stops once
 * the JIT has compiled the path to its last tier ({@link JitSettle}: four batches of connections
 * that compiled next to nothing), after {@link #CONNECTIONS} connections or after {@link
 * #BUDGET_MILLIS}, whichever comes first, and gives up quietly on any error (it is only an
 * optimisation).
 */
public final class ProxyWarmUp {
  /**
   * Returns how many connections a warm-up makes at most. C2 takes over the path after some 2,000
   * to 3,000 (HotSpot's defaults); the warm-up usually stops there, when the JIT goes quiet.
   */
  public static final int CONNECTIONS = 6_000;

  /** Returns the wall-clock budget of a warm-up: it stops then even on a loaded machine. */
  public static final long BUDGET_MILLIS = 10_000;

  // One connection carries this much each way: more than SpliceLinks.AFTER, so splicing is warmed.
  private static final int BIG = 384 * 1024;

  // Every other connection looks like HTTP, so a recording engine's HTTP decoding is warmed too.
  private static final byte[] HTTP =
      "GET /porthole-warm-up HTTP/1.1\r\nHost: localhost\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII);

  /**
   * Returns what a warm-up did: its connections, the time it took, how many of its connections went
   * through its own recorder (0 when the engine records nothing), and how many chunks went through
   * a delaying toxic ({@link HeldWarmUp}).
   */
  public record Result(int connections, long millis, int recorded, int held) {
    /** Returns a result without recorded connections or held chunks. */
    public Result(int connections, long millis) {
      this(connections, millis, 0, 0);
    }
  }

  private ProxyWarmUp() {}

  /**
   * Starts a warm-up of {@code engine} on a daemon thread; the future completes when it ends.
   * {@code -Dporthole.warmup=false} turns it off (the future is then complete, with nothing done).
   */
  public static CompletableFuture<Result> start(ProxyEngine engine) {
    return start(engine, ConnectionListener.NONE);
  }

  /**
   * Starts a warm-up of {@code engine} whose connections are also reported to {@code listener}, a
   * copy of what a real proxy reports to that prints nowhere (the CLI's line per connection), so
   * that its code is compiled too.
   */
  public static CompletableFuture<Result> start(ProxyEngine engine, ConnectionListener listener) {
    CompletableFuture<Result> done = new CompletableFuture<>();
    if ("false".equals(System.getProperty("porthole.warmup"))) {
      done.complete(new Result(0, 0));
      return done;
    }
    Thread.ofPlatform()
        .daemon()
        .name("porthole-proxy-warmup")
        .start(
            () -> done.complete(run(engine, CONNECTIONS, BUDGET_MILLIS, List.of(), listener)));
    return done;
  }

  /** Runs a warm-up of {@code engine} on the calling thread, within the default bounds. */
  public static Result run(ProxyEngine engine) {
    return run(engine, CONNECTIONS, BUDGET_MILLIS, List.of());
  }

  /** Runs a warm-up on the calling thread: at most {@code connections} in {@code budgetMillis}. */
  static Result run(ProxyEngine engine, int connections, long budgetMillis) {
    return run(engine, connections, budgetMillis, List.of());
  }

  /**
   * Runs a warm-up on the calling thread whose recorded connections also go to {@code alsoRecordTo}
   * (nothing is recorded when the engine records nothing).
   */
  public static Result run(
      ProxyEngine engine, int connections, long budgetMillis, List<CaptureListener> alsoRecordTo) {
    return run(engine, connections, budgetMillis, alsoRecordTo, ConnectionListener.NONE);
  }

  private static Result run(
      ProxyEngine engine,
      int connections,
      long budgetMillis,
      List<CaptureListener> alsoRecordTo,
      ConnectionListener listener) {
    long start = System.nanoTime();
    long deadline = start + budgetMillis * 1_000_000;
    int done = 0;
    int held = 0;
    AtomicInteger recorded = new AtomicInteger();
    InetAddress loopback = InetAddress.getLoopbackAddress();
    Recorder engineRecorder = engine.recorder();
    try (CaptureRecorder shadow =
            engineRecorder instanceof CaptureRecorder real
                ? new CaptureRecorder(real.settings())
                : null;
        ServerSocket upstream = new ServerSocket(0, 64, loopback)) {
      Thread echo = Thread.ofVirtual().start(() -> echo(upstream));
      ProxyOptions options =
          ProxyOptions.tcp(
              "warmup", new InetSocketAddress(loopback, 0), "127.0.0.1:" + upstream.getLocalPort());
      Recorder recorder = shadow == null ? Recorder.NONE : shadow;
      if (shadow != null) {
        shadow.addListener(
            new CaptureListener() {
              @Override
              public void connection(ConnectionRecord record) {
                recorded.incrementAndGet();
              }
            });
        alsoRecordTo.forEach(shadow::addListener);
      }
      JitSettle jit = JitSettle.ofThisJvm();
      try (RunningProxy proxy = engine.startUnlisted(options, recorder, listener)) {
        byte[] small = new byte[64];
        byte[] big = new byte[BIG];
        while (done < connections && System.nanoTime() < deadline && !jit.settled(done)) {
          roundTrip(proxy.localAddress(), done == 0 ? big : done % 2 == 0 ? small : HTTP);
          done++;
        }
      } catch (IOException | RuntimeException e) {
        // A connection failed (a loaded machine's 2 s timeout): keep what was warmed so far.
      }
      if (shadow != null) {
        shadow.sync(); // the last records, before the count is read
      }
      long heldBudget = Math.min(HeldWarmUp.BUDGET_MILLIS, budgetMillis);
      held = HeldWarmUp.run(engine, upstream.getLocalPort(), heldBudget);
      echo.interrupt();
    } catch (IOException | RuntimeException e) {
      // Only an optimisation: a real failure shows again, with its reason, in the real proxy.
    }
    return new Result(done, (System.nanoTime() - start) / 1_000_000, recorded.get(), held);
  }

  private static void roundTrip(InetSocketAddress proxy, byte[] data) throws IOException {
    try (Socket s = new Socket(proxy.getAddress(), proxy.getPort())) {
      s.setSoTimeout(2_000);
      s.setTcpNoDelay(true);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      // The echo reads while this writes; a big payload goes out in slices it can answer.
      byte[] back = new byte[data.length];
      int read = 0;
      for (int sent = 0; sent < data.length; ) {
        int n = Math.min(64 * 1024, data.length - sent);
        out.write(data, sent, n);
        sent += n;
        read += in.readNBytes(back, read, n);
      }
      s.shutdownOutput();
      if (read != data.length || in.read() != -1) {
        throw new IOException("warm-up echo came back short");
      }
    }
  }

  private static void echo(ServerSocket server) {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        Thread.ofVirtual().start(() -> echoOne(s));
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void echoOne(Socket s) {
    try (s) {
      s.setSoTimeout(2_000);
      s.setTcpNoDelay(true);
      s.getInputStream().transferTo(s.getOutputStream());
    } catch (IOException e) {
      // The warm-up's client is gone; nothing to do.
    }
  }
}
