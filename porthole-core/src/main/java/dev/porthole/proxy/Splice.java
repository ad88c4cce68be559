package dev.porthole.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.epoll.EpollMode;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Returns the zero-copy path of one link: Netty's {@code spliceTo} moves the source's bytes to the
 * destination through a kernel pipe, so the JVM never sees them.
 *
 * <p>Netty splices in chunks of {@link #CHUNK} bytes; a chunk's future completes once all its
 * bytes left the pipe. Netty offers no way to stop a splice half-way, so {@link #stop} takes the
 * pending chunk out of the source's splice queue (a private field, reached by a {@link VarHandle};
 * when that fails at class load, {@link #AVAILABLE} is false and nothing is spliced). Bytes
 * already in the pipe stay queued in the destination's outbound buffer ahead of anything written
 * later, so switching back to the handler pipeline drops and reorders nothing.
 *
 * <p>A bounded splice ({@link #start(long)} with a length) moves exactly that many bytes in one
 * {@code spliceTo} (the rest of an HTTP body whose length the decoder knows) and then hands the
 * link back to the pipeline, so the next message is read and decoded again.
 */
final class Splice {
  /** Returns the bytes of one spliceTo call: the counters move once per chunk. */
  static final int CHUNK = 4 * 1024 * 1024;

  /** Returns the longest bounded splice: one {@code spliceTo} takes an int length. */
  static final long MAX_BOUNDED = 1L << 30;

  /** Returns whether splice can be used (and stopped) with this Netty. */
  static final boolean AVAILABLE;

  private static final VarHandle QUEUE;
  private static final VarHandle LEN;
  private static final VarHandle PROMISE;
  private static final MethodHandle SET_FLAG;

  static {
    VarHandle queue = null;
    VarHandle len = null;
    VarHandle promise = null;
    MethodHandle setFlag = null;
    try {
      Class<?> task =
          Class.forName("io.netty.channel.epoll.AbstractEpollStreamChannel$SpliceInTask");
      queue =
          MethodHandles.privateLookupIn(AbstractEpollStreamChannel.class, MethodHandles.lookup())
              .findVarHandle(AbstractEpollStreamChannel.class, "spliceQueue", Queue.class);
      Class<?> channel = Class.forName("io.netty.channel.epoll.AbstractEpollChannel");
      setFlag =
          MethodHandles.privateLookupIn(channel, MethodHandles.lookup())
              .findVirtual(channel, "setFlag", MethodType.methodType(void.class, int.class));
      MethodHandles.Lookup inTask = MethodHandles.privateLookupIn(task, MethodHandles.lookup());
      len = inTask.findVarHandle(task, "len", int.class);
      promise = inTask.findVarHandle(task, "promise", io.netty.channel.ChannelPromise.class);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      queue = null;
    }
    QUEUE = queue;
    LEN = len;
    PROMISE = promise;
    SET_FLAG = setFlag;
    AVAILABLE = queue != null && !Boolean.getBoolean("porthole.proxy.nosplice");
  }

  private final AbstractEpollStreamChannel source;
  private final AbstractEpollStreamChannel destination;
  private final LongConsumer moved;
  private final Consumer<Throwable> failed;
  private final Runnable finished;
  private Object task;
  private ChannelFuture chunk;
  private boolean running;
  // The length of the current spliceTo call; bounded: the whole splice, else CHUNK.
  private int length;
  private boolean bounded;

  /**
   * Returns a splice from {@code source} to {@code destination} that reports bytes moved to {@code
   * moved}, errors other than a close to {@code failed}, and the end of a bounded splice to {@code
   * finished}. Both channels share one event loop.
   */
  Splice(
      Channel source,
      Channel destination,
      LongConsumer moved,
      Consumer<Throwable> failed,
      Runnable finished) {
    this.source = (AbstractEpollStreamChannel) source;
    this.destination = (AbstractEpollStreamChannel) destination;
    this.moved = moved;
    this.failed = failed;
    this.finished = finished;
  }

  /** Returns whether both channels can splice (epoll stream channels). */
  static boolean possible(Channel source, Channel destination) {
    return AVAILABLE
        && source instanceof AbstractEpollStreamChannel
        && destination instanceof AbstractEpollStreamChannel;
  }

  boolean running() {
    return running;
  }

  /** Returns whether the running splice is bounded. */
  boolean bounded() {
    return running && bounded;
  }

  /**
   * Starts splicing until stopped; the source is read as Netty's splice wants (auto-read). Netty
   * splices only between level-triggered channels, so both become level-triggered; see {@link
   * #settle}.
   */
  void start() {
    start(Long.MAX_VALUE);
  }

  /**
   * Starts splicing exactly {@code limit} bytes (at most {@link #MAX_BOUNDED}), or until stopped
   * when {@code limit} is {@link Long#MAX_VALUE}.
   */
  void start(long limit) {
    bounded = limit != Long.MAX_VALUE;
    length = bounded ? (int) Math.min(limit, MAX_BOUNDED) : CHUNK;
    running = true;
    pinErrorFlag(source);
    pinErrorFlag(destination);
    levelTriggered(source, true);
    levelTriggered(destination, true);
    source.config().setAutoRead(true);
    next();
  }

  /**
   * Returns a channel whose input has ended to edge-triggered epoll. A level-triggered channel
   * with input shut and nothing to write has no epoll flag left, and Netty 4.2 then deletes it from
   * epoll but later modifies it (ENOENT on the next write that fills the socket). No link may
   * splice into or out of it afterwards.
   */
  static void settle(Channel channel) {
    if (channel instanceof AbstractEpollStreamChannel epoll && epoll.isOpen()) {
      levelTriggered(epoll, false);
    }
  }

  /**
   * Keeps EPOLLERR in the channel's interest set (epoll reports errors anyway). Without EPOLLET a
   * channel that stops reading and has nothing to write would have no flag left, and Netty 4.2.18
   * then deletes it from epoll but keeps modifying it: the next write that needs EPOLLOUT fails
   * with ENOENT.
   */
  private static void pinErrorFlag(AbstractEpollStreamChannel channel) {
    try {
      SET_FLAG.invoke((Object) channel, EpollIoOps.EPOLLERR.value());
    } catch (Throwable e) {
      throw new IllegalStateException("cannot pin EPOLLERR", e);
    }
  }

  private static void levelTriggered(AbstractEpollStreamChannel channel, boolean on) {
    channel.config().setEpollMode(on ? EpollMode.LEVEL_TRIGGERED : EpollMode.EDGE_TRIGGERED);
  }

  private void next() {
    ChannelFuture f = source.spliceTo(destination, length);
    chunk = f;
    task = null;
    // Find this chunk's task (a finished one may still be ahead of it); poll and re-add keeps the
    // order, and this event loop is the queue's only consumer.
    @SuppressWarnings("unchecked")
    Queue<Object> queue = (Queue<Object>) QUEUE.getVolatile(source);
    if (queue != null) {
      List<Object> all = new ArrayList<>(2);
      for (Object t = queue.poll(); t != null; t = queue.poll()) {
        all.add(t);
      }
      for (Object t : all) {
        queue.add(t);
        if (PROMISE.get(t) == f) {
          task = t;
        }
      }
    }
    f.addListener(x -> done(f));
  }

  private void done(ChannelFuture f) {
    if (f != chunk || !running) {
      return;
    }
    if (f.isSuccess() && bounded) {
      end();
    } else if (f.isSuccess()) {
      moved.accept(CHUNK);
      if (source.isActive() && destination.isActive()) {
        next();
      }
    } else if (!(f.cause() instanceof ClosedChannelException)) {
      running = false;
      failed.accept(f.cause());
    } else {
      stop();
    }
  }

  /**
   * Ends a bounded splice whose bytes have all been read from the source (Netty reads the source
   * through its pipeline only then), before those bytes are counted out of order: the source's
   * next bytes follow the spliced ones. Returns false when no bounded splice runs.
   */
  boolean settle() {
    if (!bounded()) {
      return false;
    }
    end();
    return true;
  }

  private void end() {
    running = false;
    task = null;
    chunk = null;
    moved.accept(length);
    finished.run();
  }

  /**
   * Stops splicing: the pending chunk leaves the source's queue and what it moved is counted. Call
   * on the event loop; the next read of the source goes through its pipeline.
   */
  void stop() {
    if (!running) {
      return;
    }
    running = false;
    Queue<?> queue = (Queue<?>) QUEUE.getVolatile(source);
    if (queue != null && !source.isOpen()) {
      queue = null; // Netty emptied it on close; the task still knows how far it got.
    }
    if (queue != null) {
      while (queue.poll() != null) {
        // Only this splice queues tasks on the source.
      }
    }
    if (task != null) {
      int left = (int) LEN.get(task);
      moved.accept(length - Math.max(0, left));
      task = null;
    }
    chunk = null;
  }
}
