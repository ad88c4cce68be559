package dev.porthole.capture;

import io.netty.buffer.ByteBuf;

/**
 * Returns the event-loop half of a connection's recording: it stamps each chunk, copies its bytes
 * while the decoder still wants them, and posts the copy to the decoder thread. It reads the buffer
 * with absolute gets only, so the proxy's buffer is untouched.
 */
final class RecordingTap implements Tap {
  /**
   * Returns what a copied chunk costs on top of its bytes while it waits: the array's header, the
   * task and the queue's slot. A backlog of small chunks is bounded by what it really takes.
   */
  static final int CHUNK_OVERHEAD = 64;

  private final CaptureRecorder recorder;
  private final StreamDecoder decoder;
  private final long openNanos = System.nanoTime();
  private final long[] copied = new long[2];
  private long firstByte = -1;
  private boolean gap;
  private boolean truncated;
  private boolean ended;

  RecordingTap(CaptureRecorder recorder, StreamDecoder decoder) {
    this.recorder = recorder;
    this.decoder = decoder;
    decoder.opened(System.currentTimeMillis());
  }

  private long micros() {
    return (System.nanoTime() - openNanos) / 1000;
  }

  @Override
  public void dialed() {
    long at = micros();
    recorder.decode(0, () -> decoder.dialed(at));
  }

  @Override
  public void data(Side side, ByteBuf buf) {
    int n = buf.readableBytes();
    if (n == 0 || ended) {
      return;
    }
    long at = micros();
    if (firstByte < 0) {
      firstByte = at;
    }
    // The decoder says (through a volatile) whether it still needs every byte (HTTP framing);
    // otherwise only the first streamLimit bytes of each side are copied. After a gap nothing
    // more is copied: the decoder could not frame it anyway.
    if (gap || (!decoder.wantsAll() && copied[side.ordinal()] >= decoder.streamLimit())) {
      truncated = true;
      return;
    }
    if (!recorder.reserve(n + CHUNK_OVERHEAD)) {
      gap(side, at, "decoder behind");
      return;
    }
    byte[] copy = new byte[n];
    buf.getBytes(buf.readerIndex(), copy);
    copied[side.ordinal()] += n;
    recorder.decode(n + CHUNK_OVERHEAD, () -> decoder.feed(side, at, copy));
  }

  @Override
  public void skipped(Side side, long bytes) {
    long at = micros();
    if (firstByte < 0) {
      firstByte = at;
    }
    gap(side, at, "spliced");
  }

  /** Tells the decoder, once, that from now on it does not see every byte. */
  private void gap(Side side, long at, String why) {
    if (!gap) {
      gap = true;
      recorder.decode(0, () -> decoder.gap(side, at, why));
    }
  }

  @Override
  public void closed(EndReason end, long bytesUp, long bytesDown) {
    if (ended) {
      return;
    }
    ended = true;
    long closedMillis = System.currentTimeMillis();
    long first = firstByte;
    boolean complete = !gap && !truncated;
    recorder.decode(
        0, () -> decoder.finish(end, closedMillis, first, complete, bytesUp, bytesDown));
  }
}
