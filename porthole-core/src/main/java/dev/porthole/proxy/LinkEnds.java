package dev.porthole.proxy;

import dev.porthole.capture.EndReason;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Returns how the ends of one connection's two links are carried through: a source's FIN becomes
 * a half-close of its destination once what was written is flushed, and the connection closes
 * with {@link EndReason#FIN} once both links ended; errors, toxics and loops end it otherwise.
 * Runs on the connection's event loop.
 */
final class LinkEnds {
  // Logged as Connection: the lines are about a connection, as they always were.
  private static final Logger log = LoggerFactory.getLogger(Connection.class);

  private final Connection connection;
  private boolean upstreamDone;
  private boolean downstreamDone;

  LinkEnds(Connection connection) {
    this.connection = connection;
  }

  /** Returns whether link {@code d} has ended (its destination's output is shut). */
  boolean done(Direction d) {
    return d == Direction.UPSTREAM ? upstreamDone : downstreamDone;
  }

  /** Carries EOF through: half-closes the destination once what was written is flushed. */
  void endOfStream(Direction direction) {
    Channel dest = connection.destination(direction);
    Direction other = direction.other();
    dest.writeAndFlush(Unpooled.EMPTY_BUFFER)
        .addListener(
            f -> {
              if (f.isSuccess() && done(other) && SpliceLinks.inputShut(dest)) {
                // The last half-close: the destination's input was read to its end, so closing
                // sends the same FIN, without the exception Netty builds for every shutdownOutput.
                linkDone(direction);
              } else if (f.isSuccess() && dest.isActive()) {
                HalfClose.shutdownOutput(
                    dest, () -> halfClosed(direction), () -> connection.close(false));
              } else {
                connection.close(false);
              }
            });
  }

  /** Link {@code direction}'s destination is half-closed; at its own end it may just close. */
  private void halfClosed(Direction direction) {
    linkDone(direction);
    if (connection.pipelineOnly(direction.other())) {
      HalfClose.closeOnEnd(connection.destination(direction));
    }
  }

  /** Handles the close of link {@code d}'s source: a FIN when its output was already shut. */
  void sourceInactive(Direction d) {
    if (done(d.other())) {
      connection.ended(EndReason.FIN);
    }
    connection.close(false);
  }

  /** Reports a socket error: resets become an RST on the other side, others a close. */
  void failed(Direction direction, Throwable cause) {
    if (cause instanceof IOException) {
      if (log.isDebugEnabled()) {
        log.debug("{} {} failed: {}", connection.label(), direction, cause.toString());
      }
      connection.how("reset");
      // The relay of UPSTREAM reads the client: its socket error is the client's reset.
      connection.ended(
          direction == Direction.UPSTREAM ? EndReason.RESET_BY_CLIENT : EndReason.RESET_BY_SERVER);
      connection.close(true);
    } else {
      log.warn("{} failed", connection.label(), cause);
      connection.close(false);
    }
  }

  /**
   * Resets a connection whose client is one of our own upstream sockets (a proxy loop), so the
   * loop ends at this hop instead of dialing itself until the descriptors run out.
   */
  void cutLoop() {
    log.warn(
        "{} from {} cut: it is porthole's own upstream socket, so some proxy's upstream leads"
            + " back here (a loop)",
        connection.label(),
        connection.remote());
    connection.reportFailed("proxy loop cut: the client is porthole itself");
    connection.how("loop");
    connection.ended(EndReason.LOOP);
    connection.close(true);
  }

  private void linkDone(Direction direction) {
    if (direction == Direction.UPSTREAM) {
      upstreamDone = true;
    } else {
      downstreamDone = true;
    }
    if (upstreamDone && downstreamDone) {
      connection.ended(EndReason.FIN);
      connection.close(false);
    }
  }
}
