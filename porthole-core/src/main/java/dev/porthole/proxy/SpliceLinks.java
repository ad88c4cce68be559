package dev.porthole.proxy;

import io.netty.channel.Channel;
import io.netty.channel.socket.DuplexChannel;

/**
 * Returns the splice state of one connection's two links: when a link leaves the handler pipeline
 * for a kernel pipe ({@link Splice}), how it comes back when a toxic arrives, and how the end of a
 * spliced source is read empty. Everything runs on the connection's event loop.
 */
final class SpliceLinks {
  /** Returns how many bytes a recorded link carries through the pipeline before it may splice. */
  static final long AFTER = 256 * 1024;

  private final Connection connection;
  private final long after;
  private final Splice[] splices = new Splice[2];
  private final boolean[] draining = new boolean[2];

  /**
   * Returns the splice state of {@code connection}; its links may splice once they carried {@code
   * after} bytes (0: from the first byte).
   */
  SpliceLinks(Connection connection, long after) {
    this.connection = connection;
    this.after = after;
  }

  /**
   * Hands link {@code d} to splice once it carried enough bytes, no toxic sits on it and every byte
   * read was handed on (so spliced bytes queue behind them).
   */
  void maybe(Direction d, ToxicChain chain, long carried) {
    Splice current = splices[d.ordinal()];
    if (chain == null || (current != null && current.running()) || carried < after
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
          new Splice(source, dest, n -> connection.moved(d, n), e -> connection.failed(d, e));
      splices[d.ordinal()] = current;
    }
    chain.flow().spliced(true);
    current.start();
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

  /** Marks link {@code d} as reading its source empty through the pipeline after a splice. */
  void draining(Direction d, boolean on) {
    draining[d.ordinal()] = on;
  }

  boolean draining(Direction d) {
    return draining[d.ordinal()];
  }

  /** Returns whether {@code ch}'s input has ended (its peer's FIN was read). */
  static boolean inputShut(Channel ch) {
    return ch instanceof DuplexChannel duplex && duplex.isInputShutdown();
  }
}
