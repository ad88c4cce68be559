package dev.porthole.capture;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
  private final SidePath decoder = new SidePath("porthole-capture");
  private final AtomicLong backlog = new AtomicLong();
  private final LongAdder droppedChunks = new LongAdder();
  private final LongAdder notHttp = new LongAdder();
  private final LongAdder notKept = new LongAdder();
  // Bytes of open connections' chunks and exchanges held now; written by the decoder thread only.
  private volatile long held;
  private final List<CaptureListener> listeners = new CopyOnWriteArrayList<>();
  private final List<CaptureListener> live = new CopyOnWriteArrayList<>();

  /** Returns a recorder with its decoder thread started. */
  public CaptureRecorder(CaptureSettings settings) {
    this.settings = settings;
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

  /** Returns the bytes of chunks and exchanges open connections hold now. */
  public long heldBytes() {
    return held;
  }

  /**
   * Returns how many chunks and exchanges were left out of their connection's record because open
   * connections held {@link CaptureSettings#heldBytes()} already (each exchange was still published
   * and counted).
   */
  public long notKept() {
    return notKept.sum();
  }

  /** Reserves room for {@code n} copied bytes; false (and counted) when the backlog is full. */
  boolean reserve(long n) {
    if (backlog.addAndGet(n) > settings.backlogBytes()) {
      backlog.addAndGet(-n);
      droppedChunks.increment();
      return false;
    }
    return true;
  }

  /** Runs {@code work} on the decoder thread, then frees the {@code n} bytes reserved for it. */
  void decode(long n, Runnable work) {
    Runnable task =
        n == 0
            ? work
            : () -> {
              try {
                work.run();
              } finally {
                backlog.addAndGet(-n);
              }
            };
    if (!decoder.execute(task)) {
      backlog.addAndGet(-n);
    }
  }

  /** Returns whether {@code n} more bytes may be held; counts one not kept when not (decoder). */
  boolean keep(long n) {
    if (held + n > settings.heldBytes()) {
      notKept.increment();
      return false;
    }
    held += n;
    return true;
  }

  /** Frees {@code n} bytes held until a record was handed on (decoder thread). */
  void kept(long n) {
    held -= n;
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
      decoder.sync(5000);
    } catch (Exception e) {
      LOG.debug("capture sync: {}", e.toString());
    }
  }

  /** Stops the decoder thread after what is queued (waits up to 2 s). */
  @Override
  public void close() {
    decoder.close();
  }
}
