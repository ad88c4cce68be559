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
  // Per side: the stream offset of the next byte, and the end of the body rest allowed unseen.
  private final long[] offset = new long[2];
  private final long[] mayMiss = new long[2];
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
    offset[side.ordinal()] += n;
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

  /**
   * Allows a splice while HTTP is decoded only for the rest of a body the decoder knows the length
   * of; before the decoder knows, nothing. Once nothing more is decoded (a gap, not HTTP, TLS), any
   * length; a live pcap wants every byte, so none.
   */
  @Override
  public long spliceable(Side side, long at) {
    if (ended || gap) {
      return Long.MAX_VALUE;
    }
    if (recorder.live()) {
      return 0;
    }
    if (!decoder.framing()) {
      return Long.MAX_VALUE;
    }
    long rest = decoder.spliceable(side, at);
    if (rest > 0) {
      mayMiss[side.ordinal()] = at + rest;
    }
    return rest;
  }

  @Override
  public void skipped(Side side, long bytes) {
    long at = micros();
    if (firstByte < 0) {
      firstByte = at;
    }
    int s = side.ordinal();
    offset[s] += bytes;
    if (!gap && offset[s] <= mayMiss[s]) {
      // The rest of a body the decoder announced: counted, and decoding goes on after it.
      truncated = true;
      recorder.decode(0, () -> decoder.skip(side, at, bytes));
    } else {
      gap(side, at, "spliced");
    }
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
