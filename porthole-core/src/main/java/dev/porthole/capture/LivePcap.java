package dev.porthole.capture;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Returns a live pcap: a {@link CaptureListener} that writes each TCP connection's packets to a
 * {@link PcapWriter} as the proxy carries them (handshake when the connection is first seen,
 * segments per chunk, FIN or RST when it closes) and flushes after each, so {@code tshark -r} of
 * the file being written, or Wireshark reading a pipe, sees the packets so far. It runs on the
 * recorder's decoder thread, never on the proxy's.
 *
 * <pre>
 * recorder.addListener(new LivePcap(new PcapWriter(out), e -&gt; log(e)));
 * </pre>
 */
public final class LivePcap implements CaptureListener, AutoCloseable {
  private final Map<String, PcapFlow> flows = new HashMap<>();
  private final Consumer<IOException> failed;
  private PcapWriter out;

  /**
   * Returns a live pcap on {@code out}; on a write error (a closed pipe) it tells {@code failed}
   * once and stops writing, and the proxy carries on.
   */
  public LivePcap(PcapWriter out, Consumer<IOException> failed) {
    this.out = out;
    this.failed = failed;
  }

  @Override
  public boolean live() {
    return true;
  }

  private static String key(String proxy, long connection) {
    return proxy + '\0' + connection;
  }

  @Override
  public synchronized void opened(Conversation s) {
    if (out == null || !"tcp".equals(s.protocol())) {
      return;
    }
    PcapFlow f = PcapFlow.of(out, s.connection(), s.client(), s.listen());
    if (f != null) {
      flows.put(key(s.proxy(), s.connection()), f);
      write(() -> f.handshake(s.openedMillis() * 1000));
    }
  }

  @Override
  public synchronized void chunk(Conversation s, Chunk c) {
    PcapFlow f = flows.get(key(s.proxy(), s.connection()));
    if (f != null && out != null) {
      write(() -> f.data(s.openedMillis() * 1000 + c.micros(), c.side(), c.data()));
    }
  }

  @Override
  public synchronized void connection(ConnectionRecord r) {
    PcapFlow f = flows.remove(key(r.proxy(), r.id()));
    if (f != null && out != null) {
      long at = Math.max(r.closedMillis(), r.openedMillis()) * 1000;
      write(() -> f.end(at, r.end(), r.bytesUp(), r.bytesDown()));
    }
  }

  private interface Io {
    void run() throws IOException;
  }

  private void write(Io io) {
    try {
      io.run();
      out.flush();
    } catch (IOException e) {
      out = null;
      flows.clear();
      failed.accept(e);
    }
  }

  /** Closes the writer (its stream too). */
  @Override
  public synchronized void close() throws IOException {
    if (out != null) {
      out.close();
      out = null;
    }
  }
}
