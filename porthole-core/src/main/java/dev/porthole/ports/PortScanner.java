package dev.porthole.ports;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Returns which TCP ports of one host accept a connection: a connect scan with non-blocking
 * sockets, through libc and epoll where {@link DirectScan} runs (Linux, JDK 22+), else on NIO
 * {@link Selector}s.
 *
 * <p>At most {@code concurrency} connects are in flight. When the system runs short of file
 * descriptors (EMFILE, ENFILE) or of local ports (EADDRNOTAVAIL), the limit drops to three quarters
 * of what is in flight and the port is tried again later, instead of failing. Every socket closes
 * with SO_LINGER 0 (a reset), so an open port leaves no TIME_WAIT behind to eat the ephemeral
 * range.
 */
public final class PortScanner {
  private static final int MIN_CONCURRENCY = Throttle.MIN;
  private static final int NATIVE_FROM = 8192;

  private final InetAddress host;
  private final int concurrency;
  private final Duration timeout;
  private final boolean direct;

  /** Returns how far a scan has come: called every 1024 ports, from any scanning thread. */
  @FunctionalInterface
  public interface Progress {
    void done(int done, int total);
  }

  /**
   * Returns a scanner.
   *
   * @param host the address to scan
   * @param concurrency the most connects in flight, &gt;= 8
   * @param timeout how long one connect may stay unanswered before the port counts as filtered
   */
  public PortScanner(InetAddress host, int concurrency, Duration timeout) {
    this(host, concurrency, timeout, DirectScan.available());
  }

  /** Returns a scanner that uses the direct path only when {@code direct} (tests compare both). */
  PortScanner(InetAddress host, int concurrency, Duration timeout, boolean direct) {
    if (concurrency < MIN_CONCURRENCY) {
      throw new IllegalArgumentException(
          "concurrency: " + concurrency + " (expected: >= " + MIN_CONCURRENCY + ")");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
    }
    this.host = host;
    this.concurrency = concurrency;
    this.timeout = timeout;
    this.direct = direct;
  }

  /**
   * Returns the ports of {@code spec} that accept connections.
   *
   * <p>One worker per core (at most 4), each with its own selector and an interleaved share of the
   * ports and of the concurrency: on loopback the cost is the kernel's work in connect(), which
   * spreads over cores.
   */
  public ScanResult scan(PortSpec spec, Progress progress) throws IOException {
    long t0 = System.nanoTime();
    int workers =
        Math.max(
            1,
            Math.min(
                Math.min(4, Runtime.getRuntime().availableProcessors()),
                Math.min(concurrency / MIN_CONCURRENCY, spec.size() / 1024)));
    if (!direct && spec.size() >= NATIVE_FROM) {
      NativeConnector.preload(); // NIO starts meanwhile; workers switch when it is ready
    }
    AtomicInteger done = new AtomicInteger();
    List<Future<DirectScan.Share>> futures = new ArrayList<>();
    List<DirectScan.Share> shares = new ArrayList<>();
    try (ExecutorService pool =
        Executors.newFixedThreadPool(workers, Thread.ofPlatform().daemon().factory())) {
      for (int w = 0; w < workers; w++) {
        int[] share = share(spec.ports(), w, workers);
        int limit = concurrency / workers;
        Runnable tick = () -> tick(done, spec.size(), progress);
        futures.add(pool.submit(() -> scanShare(share, limit, tick, done)));
      }
      for (Future<DirectScan.Share> f : futures) {
        shares.add(await(f));
      }
    }
    progress.done(spec.size(), spec.size());
    return combine(shares, spec.size(), System.nanoTime() - t0);
  }

  /** Returns one worker's share, scanned on this (the worker's own) thread. */
  private DirectScan.Share scanShare(int[] ports, int limit, Runnable tick, AtomicInteger done)
      throws IOException {
    // The direct scan's native memory is confined to the thread that opens it: opened here.
    try (DirectScan d = direct ? DirectScan.open(host, timeout, done::get) : null) {
      if (d != null) {
        return d.scan(ports, limit, tick);
      }
    }
    return new Run(ports, limit, done, tick).loop();
  }

  private static void tick(AtomicInteger done, int total, Progress progress) {
    int d = done.incrementAndGet();
    if ((d & 1023) == 0) {
      progress.done(d, total);
    }
  }

  private ScanResult combine(List<DirectScan.Share> shares, int scanned, long nanos) {
    List<Integer> open = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    int filtered = 0;
    int limit = 0;
    for (DirectScan.Share r : shares) {
      open.addAll(r.open());
      notes.addAll(r.notes());
      filtered += r.filtered();
      limit += r.limit();
    }
    double millis = Math.round(nanos / 10_000.0) / 100.0;
    return new ScanResult(
        Addresses.text(host),
        scanned,
        open.stream().sorted().toList(),
        filtered,
        millis,
        limit,
        notes);
  }

  private static int[] share(int[] ports, int worker, int workers) {
    int[] share = new int[(ports.length - worker + workers - 1) / workers];
    for (int i = worker, j = 0; i < ports.length; i += workers, j++) {
      share[j] = ports[i];
    }
    return share;
  }

  private static <T> T await(Future<T> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("scan interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    }
  }

  /** Returns the state of one scan; lives for one call of {@link #scan}. */
  private final class Run {
    final int[] ports;
    final Runnable tick;
    final Throttle throttle;
    final List<Integer> open = new ArrayList<>();
    Selector selector;
    int next;
    int inFlight;
    int filtered;
    long nextExpiry;

    Run(int[] ports, int limit, AtomicInteger done, Runnable tick) {
      this.ports = ports;
      this.tick = tick;
      this.throttle = new Throttle(limit, done::get);
    }

    DirectScan.Share loop() throws IOException {
      try (Selector s = Selector.open()) {
        selector = s;
        while (next < ports.length || inFlight > 0) {
          launch();
          if (inFlight > 0) {
            selector.select(20);
          } else {
            // A closed channel keeps its descriptor until a selection deregisters its cancelled
            // key: after expire() closed every pending connect, this is what frees them.
            selector.selectNow();
          }
          Iterator<SelectionKey> it = selector.selectedKeys().iterator();
          while (it.hasNext()) {
            SelectionKey key = it.next();
            it.remove();
            finish(key);
          }
          expire();
        }
      }
      return new DirectScan.Share(open, filtered, throttle.limit(), throttle.notes());
    }

    private void launch() {
      while (inFlight < throttle.limit() && next < ports.length) {
        int port = ports[next];
        try {
          // Loaded only for big scans: the library costs more than NIO spends on a few thousand.
          boolean fast = NativeConnector.ready();
          if (!(fast && settledNatively(port)) && !startNio(port)) {
            advance();
          }
        } catch (IOException shortOf) {
          boolean fds = shortOf.getMessage().contains("Too many open files");
          shrink(fds ? "file descriptors" : "local ports", shortOf); // retry this port later
          return;
        }
      }
    }

    /** Returns true when the native fast path settled the port (open or closed). */
    private boolean settledNatively(int port) throws IOException {
      NativeConnector.Outcome outcome = NativeConnector.connect(new InetSocketAddress(host, port));
      if (outcome == NativeConnector.Outcome.PENDING) {
        return false; // connect again through NIO and wait for it on the selector
      }
      if (outcome == NativeConnector.Outcome.OPEN) {
        open.add(port);
      }
      advance();
      return true;
    }

    /**
     * Returns true when the port is settled or waits on the selector; false when it is closed.
     *
     * @throws IOException when out of file descriptors or local ports
     */
    private boolean startNio(int port) throws IOException {
      SocketChannel ch = SocketChannel.open(); // EMFILE/ENFILE thrown from here
      try {
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.SO_LINGER, 0);
        // On loopback the kernel answers the SYN inside connect(), so finishConnect() at once
        // settles nearly every port without a trip through the selector.
        if (ch.connect(new InetSocketAddress(host, port)) || ch.finishConnect()) {
          open.add(port);
          close(ch);
          advance();
          return true;
        }
        Pending pending = new Pending(port, System.nanoTime() + timeout.toNanos());
        ch.register(selector, SelectionKey.OP_CONNECT, pending);
        inFlight++;
        next++;
        return true;
      } catch (ConnectException refused) {
        close(ch);
        return false;
      } catch (IOException e) {
        close(ch);
        if (shortOfResources(e)) {
          throw e;
        }
        return false; // unreachable and the like: the port is not open
      }
    }

    private void advance() {
      next++;
      tick();
    }

    private void tick() {
      throttle.progressed();
      tick.run();
    }

    private void finish(SelectionKey key) {
      SocketChannel ch = (SocketChannel) key.channel();
      Pending p = (Pending) key.attachment();
      try {
        if (ch.finishConnect()) {
          open.add(p.port());
        }
      } catch (IOException e) {
        // refused or reset: closed
      }
      key.cancel();
      close(ch);
      inFlight--;
      tick();
    }

    private void expire() {
      long now = System.nanoTime();
      if (now < nextExpiry) {
        return;
      }
      nextExpiry = now + 10_000_000L;
      for (SelectionKey key : selector.keys()) {
        if (key.isValid() && ((Pending) key.attachment()).deadline() < now) {
          key.cancel();
          close((SocketChannel) key.channel());
          inFlight--;
          filtered++;
          tick();
        }
      }
    }

    private void shrink(String what, IOException e) {
      String why =
          e.getMessage().contains("Too many open files")
              ? "Too many open files"
              : e.getMessage().contains("Cannot assign")
                  ? "Cannot assign requested address"
                  : e.getMessage();
      throttle.shortOf(what, why, inFlight);
    }
  }

  static boolean shortOfResources(IOException e) {
    String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
    return m.contains("cannot assign requested address") || m.contains("too many open files");
  }

  private static void close(SocketChannel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // closing a probe socket; nothing to report
    }
  }

  private record Pending(int port, long deadline) {}
}
