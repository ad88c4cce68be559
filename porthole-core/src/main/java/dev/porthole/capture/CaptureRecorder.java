package dev.porthole.capture;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Returns the recorder of a proxy engine: each connection gets a {@link RecordingTap} that copies
 * what crosses it and hands the copies to one decoder thread, the side path. The proxy never waits
 * for it: when more than {@link CaptureSettings#backlogBytes()} wait, further copies are dropped
 * and counted ({@link #droppedChunks()}), and the connections they belong to are marked incomplete.
 *
 * <pre>
 * try (CaptureRecorder recorder = new CaptureRecorder(CaptureSettings.defaults())) {
 *   recorder.addListener(record -&gt; ...);
 *   engine.recorder(recorder);
 * }
 * </pre>
 */
public final class CaptureRecorder implements Recorder, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CaptureRecorder.class);

  private final CaptureSettings settings;
  private final ExecutorService decoder;
  private final AtomicLong backlog = new AtomicLong();
  private final LongAdder droppedChunks = new LongAdder();
  private final LongAdder notHttp = new LongAdder();
  // Bytes of open connections' chunks held now; touched by the decoder thread only.
  private long kept;
  private final List<CaptureListener> listeners = new CopyOnWriteArrayList<>();
  private final List<CaptureListener> live = new CopyOnWriteArrayList<>();

  /** Returns a recorder with its decoder thread started. */
  public CaptureRecorder(CaptureSettings settings) {
    this.settings = settings;
    this.decoder =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "porthole-capture");
              t.setDaemon(true);
              return t;
            });
  }

  /** Adds a listener for exchanges and records. */
  public void addListener(CaptureListener listener) {
    listeners.add(listener);
    if (listener.live()) {
      live.add(listener);
    }
  }

  /** Returns whether a live listener wants every byte of every connection. */
  boolean live() {
    return !live.isEmpty();
  }

  /** Returns the settings. */
  public CaptureSettings settings() {
    return settings;
  }

  @Override
  public Tap open(
      String proxy,
      long id,
      String protocol,
      InetSocketAddress client,
      InetSocketAddress listen,
      String upstream) {
    return new RecordingTap(
        this, new StreamDecoder(settings, proxy, id, protocol, client, listen, upstream, this));
  }

  /** Returns how many copied chunks were dropped because the decoder fell behind. */
  public long droppedChunks() {
    return droppedChunks.sum();
  }

  /** Returns how many connections looked like HTTP at first but failed to decode. */
  public long notHttp() {
    return notHttp.sum();
  }

  /** Returns the bytes waiting for the decoder thread now. */
  public long backlogBytes() {
    return backlog.get();
  }

  /** Reserves room for {@code n} copied bytes; false (and counted) when the backlog is full. */
  boolean reserve(int n) {
    if (backlog.addAndGet(n) > settings.backlogBytes()) {
      backlog.addAndGet(-n);
      droppedChunks.increment();
      return false;
    }
    return true;
  }

  /** Runs {@code work} on the decoder thread, then frees the {@code n} bytes reserved for it. */
  void decode(int n, Runnable work) {
    try {
      decoder.execute(
          () -> {
            try {
              work.run();
            } catch (Exception e) {
              // Netty's embedded channels may rethrow checked exceptions; the proxy never sees
              // them.
              LOG.warn("capture decoder failed", e);
            } finally {
              backlog.addAndGet(-n);
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      backlog.addAndGet(-n);
    }
  }

  /** Returns whether {@code n} more bytes of chunks may be held (decoder thread). */
  boolean keep(int n) {
    if (kept + n > CaptureSettings.KEPT_BYTES_LIMIT) {
      return false;
    }
    kept += n;
    return true;
  }

  /** Frees {@code n} bytes of chunks handed on with a record (decoder thread). */
  void kept(long n) {
    kept -= n;
  }

  void countNotHttp() {
    notHttp.increment();
  }

  void publish(CaptureListener.Request request) {
    for (CaptureListener l : listeners) {
      l.request(request);
    }
  }

  void opened(CaptureListener.Conversation conversation) {
    for (CaptureListener l : live) {
      l.opened(conversation);
    }
  }

  void chunk(CaptureListener.Conversation conversation, Chunk chunk) {
    for (CaptureListener l : live) {
      l.chunk(conversation, chunk);
    }
  }

  void publish(CaptureListener.Frame frame) {
    for (CaptureListener l : listeners) {
      l.frame(frame);
    }
  }

  void publish(ConnectionRecord record) {
    for (CaptureListener l : listeners) {
      l.connection(record);
    }
  }

  /** Returns once the decoder has handled everything queued before this call (tests, export). */
  public void sync() {
    try {
      decoder.submit(() -> {}).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.debug("capture sync: {}", e.toString());
    }
  }

  /** Stops the decoder thread after what is queued (waits up to 2 s). */
  @Override
  public void close() {
    decoder.shutdown();
    try {
      decoder.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
