package dev.porthole.capture;

/**
 * Returns where the body being decoded on one side of a connection may be carried unseen: from
 * stream offset {@code from} (past the preview's bytes) to {@code end} (exclusive), both counted
 * from the side's first byte. Published by the decoder thread, read on the event loop.
 *
 * @param from the first offset that may be spliced
 * @param end the offset just after the body's (or the chunk's) last byte
 */
record BodySpan(long from, long end) {
  /** Returns how many bytes from {@code offset} lie in this span, 0 when it is outside. */
  long restAt(long offset) {
    return offset < from || offset >= end ? 0 : end - offset;
  }
}
