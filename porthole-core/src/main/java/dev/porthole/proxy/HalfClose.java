package dev.porthole.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Returns the half-closes of a proxied connection without the exceptions Netty builds for them.
 *
 * <p>Netty's {@code shutdownOutput} makes a {@code ChannelOutputShutdownException} (with its stack
 * trace) every time, for writes that might still be queued; the proxy half-closes only once
 * everything was flushed, so on epoll it shuts the socket itself. And once a socket's output is
 * shut, the peer's FIN moves it to TIME_WAIT, where Netty's {@code shutdown(SHUT_RD)} fails with
 * ENOTCONN (another exception, with a message); {@link #closeOnEnd} makes Netty close such a socket
 * at its end of input instead. Together they were a sixth of what a connection allocated.
 */
final class HalfClose {
  // AbstractEpollChannel.socket (protected): its shutdown keeps Netty's view (isOutputShutdown).
  private static final VarHandle SOCKET;

  static {
    VarHandle socket = null;
    try {
      Class<?> channel = Class.forName("io.netty.channel.epoll.AbstractEpollChannel");
      socket =
          MethodHandles.privateLookupIn(channel, MethodHandles.lookup())
              .findVarHandle(
                  channel,
                  "socket",
                  Class.forName("io.netty.channel.epoll.LinuxSocket"));
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      socket = null;
    }
    SOCKET = socket;
  }

  private HalfClose() {}

  /**
   * Shuts the output of {@code ch} (everything written to it is flushed), then runs {@code done};
   * runs {@code failed} when the socket refuses.
   */
  static void shutdownOutput(Channel ch, Runnable done, Runnable failed) {
    if (SOCKET != null && ch instanceof AbstractEpollStreamChannel epoll) {
      try {
        ((Socket) SOCKET.get(epoll)).shutdown(false, true);
      } catch (IOException | RuntimeException e) {
        failed.run();
        return;
      }
      done.run();
    } else if (ch instanceof DuplexChannel duplex) {
      duplex.shutdownOutput().addListener(x -> done.run());
    } else {
      failed.run();
    }
  }

  /**
   * Makes Netty close {@code ch} when its input ends instead of half-closing it: call once its
   * output is shut and nothing but the pipeline reads it (no toxic, no splice).
   */
  static void closeOnEnd(Channel ch) {
    if (ch.isOpen()) {
      ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, false);
    }
  }

  /** Undoes {@link #closeOnEnd}: the end of {@code ch}'s input reaches the pipeline again. */
  static void keepHalfOpen(Channel ch) {
    if (ch != null && ch.isOpen() && closesOnEnd(ch)) {
      ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    }
  }

  /**
   * Closes {@code ch} after its pending writes, or at once with an RST when {@code reset}; a closed
   * channel is left alone (closing it again costs Netty an exception object).
   */
  static void close(Channel ch, boolean reset) {
    if (!ch.isOpen()) {
      return;
    } else if (reset && ch.isActive()) {
      ch.config().setOption(ChannelOption.SO_LINGER, 0);
      ch.close();
    } else if (ch.isActive()) {
      ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    } else {
      ch.close();
    }
  }

  /** Returns whether {@code ch} closes at its end of input (see {@link #closeOnEnd}). */
  static boolean closesOnEnd(Channel ch) {
    return !Boolean.TRUE.equals(ch.config().getOption(ChannelOption.ALLOW_HALF_CLOSURE));
  }
}
