package dev.porthole.capture;

import io.netty.buffer.ByteBuf;

/**
 * One connection's hook into the recorder. The proxy calls it on the connection's event loop; an
 * implementation only reads what it is shown (never moves an index or releases a buffer) and
 * returns at once, leaving any decoding to another thread.
 */
public interface Tap {
  /** Returns a tap that records nothing. */
  Tap NONE = new Tap() {};

  /** Called when the upstream dial succeeded. */
  default void dialed() {}

  /**
   * Called with each chunk the proxy is about to write on, sent by {@code side}. The buffer's
   * readable bytes are exactly what will be written; the tap must not change or keep it.
   */
  default void data(Side side, ByteBuf buf) {}

  /**
   * Returns how many of {@code side}'s bytes from stream offset {@code offset} may be carried
   * without passing the pipeline (spliced): {@link Long#MAX_VALUE} for any number, 0 for none, or
   * the rest of a body the recording can count without seeing it. Called on the event loop.
   */
  default long spliceable(Side side, long offset) {
    return Long.MAX_VALUE;
  }

  /** Called with bytes that were carried without passing the pipeline (spliced). */
  default void skipped(Side side, long bytes) {}

  /** Called once when the connection ended, with the byte counts of the whole connection. */
  default void closed(EndReason end, long bytesUp, long bytesDown) {}
}
