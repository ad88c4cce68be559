package dev.porthole.proxy;

import io.netty.channel.Channel;
import io.netty.channel.socket.DuplexChannel;

/**
 * Returns the splice state of one connection's two links: when a link leaves the handler pipeline
 * for a kernel pipe ({@link Splice}), how it comes back when a toxic arrives, and how the end of a
 * spliced source is read empty. Everything runs on the connection's event loop.
 *
 * <p>A link whose HTTP is being recorded splices only what the recording allows: the rest of a
 * body of known length, with an exact count, after which it returns to the pipeline by itself (see
 * {@link dev.porthole.capture.Tap#spliceable}).
 */
final class SpliceLinks {
  /** Returns how many bytes a recorded link carries through the pipeline before it may splice. */
  static final long AFTER = 256 * 1024;

  /**
   * Returns the shortest rest of a decoded HTTP body worth a bounded splice: below it, switching
   * the link to a pipe and back costs more than copying the bytes.
   */
  static final long BODY_AFTER = 128 * 1024;

  private final Connection connection;
  private final long after;
  private final Splice[] splices = new Splice[2];
  private final boolean[] draining = new boolean[2];
  private final Runnable bodySplice;

  /**
   * Returns the splice state of {@code connection}; its links may splice once they carried {@code
   * after} bytes (0: from the first byte); {@code bodySplice} counts bounded splices.
   */
  SpliceLinks(Connection connection, long after, Runnable bodySplice) {
    this.connection = connection;
    this.after = after;
    this.bodySplice = bodySplice;
  }

  /**
   * Hands link {@code d} to splice once it may, no toxic sits on it and every byte read was handed
   * on (so spliced bytes queue behind them). {@code limit} is what the recording allows from here
   * ({@link dev.porthole.capture.Tap#spliceable}): {@link Long#MAX_VALUE} splices until stopped
   * once the link carried enough bytes; a length splices exactly that many (the rest of a decoded
   * body) when it is worth it; 0 does not splice.
   */
  void maybe(Direction d, ToxicChain chain, long carried, long limit) {
    Splice current = splices[d.ordinal()];
    boolean bounded = limit != Long.MAX_VALUE;
    if (chain == null || (current != null && current.running())
        || (bounded ? limit < BODY_AFTER : carried < after)
        || draining[d.ordinal()] || !chain.empty() || chain.flow().held() != 0) {
      return;
    }
    Channel source = connection.source(d);
    Channel dest = connection.destination(d);
    if (!Splice.possible(source, dest) || !source.isActive() || !dest.isActive()
        || inputShut(source) || inputShut(dest) || HalfClose.closesOnEnd(source)) {
      return;
    }
    if (current == null) {
      current =
          new Splice(
              source,
              dest,
              n -> connection.moved(d, n),
              e -> connection.failed(d, e),
              () -> connection.spliceEnded(d));
      splices[d.ordinal()] = current;
    }
    chain.flow().spliced(true);
    if (bounded) {
      bodySplice.run();
    }
    current.start(limit);
  }

  /**
   * Ends link {@code d}'s bounded splice when its source is read through the pipeline again: the
   * spliced bytes were all read, and are counted before the bytes that follow them.
   */
  void settle(Direction d) {
    Splice splice = splices[d.ordinal()];
    if (splice != null) {
      splice.settle();
    }
  }

  /** Takes link {@code d} back to the pipeline; returns whether it was spliced. */
  boolean stop(Direction d) {
    Splice splice = splices[d.ordinal()];
    if (splice != null && splice.running()) {
      splice.stop();
      return true;
    }
    return false;
  }

  /** Stops both links' splices (the connection closes). */
  void stopAll() {
    for (Splice splice : splices) {
      if (splice != null) {
        splice.stop();
      }
    }
  }

  /** Returns whether link {@code d} is spliced now. */
  boolean running(Direction d) {
    Splice splice = splices[d.ordinal()];
    return splice != null && splice.running();
  }

  /**
   * Handles the end of a spliced link's source: Netty shuts the input down when the peer's FIN is
   * seen, which may be before the socket is read empty; the rest is read through the pipeline and
   * the half-close waits for {@link #drained}. Returns false when the link was not spliced.
   */
  boolean drainAfterSplice(Direction d) {
    if (!running(d)) {
      return false;
    }
    connection.unsplice(d);
    draining[d.ordinal()] = true;
    Channel source = connection.source(d);
    source.config().setAutoRead(true);
    source.read();
    return true;
  }

  /** Returns whether link {@code d}'s source is being read empty after its splice ended. */
  boolean draining(Direction d) {
    return draining[d.ordinal()];
  }

  /** Carries the end of a drained link through. */
  void drained(Direction d) {
    if (draining[d.ordinal()]) {
      draining[d.ordinal()] = false;
      connection.inputEnded(d);
    }
  }

  /** Returns whether {@code ch}'s input has ended (its peer's FIN was read). */
  static boolean inputShut(Channel ch) {
    return ch instanceof DuplexChannel duplex && duplex.isInputShutdown();
  }
}
