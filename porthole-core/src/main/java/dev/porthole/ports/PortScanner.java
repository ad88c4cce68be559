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
 * Returns which TCP ports of one host accept a connection: a connect scan with non-blocking sockets
 * on one {@link Selector}.
 *
 * <p>At most {@code concurrency} connects are in flight. When the system runs short of file
 * descriptors (EMFILE, ENFILE) or of local ports (EADDRNOTAVAIL), the limit drops to three quarters
 * of what is in flight and the port is tried again later, instead of failing. Every socket closes
 * with SO_LINGER 0 (a reset), so an open port leaves no TIME_WAIT behind to eat the ephemeral
 * range.
 */
public final class PortScanner {
  private static final int MIN_CONCURRENCY = 8;
  private static final int NATIVE_FROM = 8192;
  private static final int MAX_STARVED = 500;
  private static final long STARVED_PAUSE_MILLIS = 10;

  private final InetAddress host;
  private final int concurrency;
  private final Duration timeout;

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
    if (spec.size() >= NATIVE_FROM) {
      NativeConnector.preload(); // NIO starts meanwhile; workers switch when it is ready
    }
    AtomicInteger done = new AtomicInteger();
    List<Run> runs = new ArrayList<>();
    List<Future<?>> futures = new ArrayList<>();
    try (ExecutorService pool =
        Executors.newFixedThreadPool(workers, Thread.ofPlatform().daemon().factory())) {
      for (int w = 0; w < workers; w++) {
        int[] share = share(spec.ports(), w, workers);
        Run run = new Run(share, concurrency / workers, done, spec.size(), progress);
        runs.add(run);
        futures.add(
            pool.submit(
                () -> {
                  run.loop();
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        await(f);
      }
    }
    progress.done(spec.size(), spec.size());
    return combine(runs, spec.size(), System.nanoTime() - t0);
  }

  private ScanResult combine(List<Run> runs, int scanned, long nanos) {
    List<Integer> open = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    int filtered = 0;
    int limit = 0;
    for (Run r : runs) {
      open.addAll(r.open);
      notes.addAll(r.notes);
      filtered += r.filtered;
      limit += r.limit;
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

  private static void await(Future<?> f) throws IOException {
    try {
      f.get();
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
    final AtomicInteger done;
    final int total;
    final Progress progress;
    final List<Integer> open = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    // Loading the native library costs more than NIO spends on a few thousand ports.
    final boolean nativeWanted;
    Selector selector;
    int limit;
    int next;
    int inFlight;
    int filtered;
    int starved;
    int doneWhenStarved = -1;
    long nextExpiry;

    Run(int[] ports, int limit, AtomicInteger done, int total, Progress progress) {
      this.ports = ports;
      this.limit = limit;
      this.done = done;
      this.total = total;
      this.progress = progress;
      this.nativeWanted = total >= NATIVE_FROM;
    }

    void loop() throws IOException {
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
    }

    private void launch() {
      while (inFlight < limit && next < ports.length) {
        int port = ports[next];
        try {
          boolean fast = nativeWanted && NativeConnector.ready();
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
      starved = 0;
      int d = done.incrementAndGet();
      if ((d & 1023) == 0) {
        progress.done(d, total);
      }
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
      int reduced = Math.max(MIN_CONCURRENCY, inFlight * 3 / 4);
      if (reduced < limit) {
        String why =
            e.getMessage().contains("Too many open files")
                ? "Too many open files"
                : e.getMessage().contains("Cannot assign")
                    ? "Cannot assign requested address"
                    : e.getMessage();
        notes.add("short of " + what + " (" + why + "): concurrency " + limit + " -> " + reduced);
        limit = reduced;
      }
      if (inFlight == 0) {
        // Nothing of ours to wait for: another worker (or process) holds the descriptors. Wait
        // a little for them to be freed, and give up only when the whole scan stops moving: the
        // other workers refill as soon as a descriptor frees, so this one may lose many rounds
        // while they progress, and their ranges end.
        int now = done.get();
        if (now != doneWhenStarved) {
          doneWhenStarved = now;
          starved = 0;
        }
        if (++starved > MAX_STARVED) {
          throw new IllegalStateException("cannot open a socket at all: " + e.getMessage(), e);
        }
        try {
          Thread.sleep(STARVED_PAUSE_MILLIS);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("scan interrupted", interrupted);
        }
      }
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
