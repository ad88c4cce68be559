package dev.porthole.routing.http;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import dev.porthole.routing.Upstream;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The idle upstream connections of one router, per event loop and upstream: a connection whose
 * response ended cleanly waits here for the next request to the same upstream, from any client
 * connection or HTTP/2 stream on that loop, so N requests need far fewer than N connects (the
 * upstream's accept queue and the TCP handshake were most of the router's cost per request).
 *
 * <p>Each deque is touched only on its own loop (a client and its upstream share one loop), so no
 * lock is needed; the map only finds the deque. A connection idle for {@link #IDLE_MILLIS} is
 * closed by one sweep per deque, not by a timer per request (which cost a scheduled task and its
 * cancellation on every keep-alive request).
 */
final class UpstreamPool {
  /** Idle connections kept per loop and upstream; more are closed, not kept. */
  static final int MAX_IDLE = 64;

  /** How long a connection may wait idle before the pool closes it, in milliseconds. */
  static final long IDLE_MILLIS = 30_000;


  private record Key(EventLoop loop, Upstream upstream) {}

  private record Parked(Channel channel, long sinceNanos) {}

  /** The idle connections of one loop and upstream, oldest first, and whether a sweep is due. */
  private static final class Idle extends ArrayDeque<Parked> {
    boolean sweepScheduled;
  }

  private final ConcurrentMap<Key, Idle> idle = new ConcurrentHashMap<>();
  private final long idleNanos;
  private volatile boolean closed;

  /** Returns a pool that closes connections idle for {@link #IDLE_MILLIS}. */
  UpstreamPool() {
    this(IDLE_MILLIS);
  }

  /** Returns a pool that closes connections idle for {@code idleMillis} (tests: less). */
  UpstreamPool(long idleMillis) {
    this.idleNanos = TimeUnit.MILLISECONDS.toNanos(idleMillis);
  }

  /** Returns an idle, open connection to {@code upstream} on {@code loop}, or null. On the loop. */
  Channel acquire(EventLoop loop, Upstream upstream) {
    Idle q = idle.get(new Key(loop, upstream));
    if (q == null) {
      return null;
    }
    Parked p;
    while ((p = q.pollLast()) != null) {
      if (p.channel().isActive()) {
        return p.channel(); // the most recently used: the one least likely to have been timed out
      }
    }
    return null;
  }

  /** Keeps {@code ch} for the next request; returns false when it must be closed instead. */
  boolean release(Channel ch, Upstream upstream) {
    if (closed || !ch.isActive()) {
      return false;
    }
    Idle q = idle.computeIfAbsent(new Key(ch.eventLoop(), upstream), k -> new Idle());
    if (q.size() >= MAX_IDLE) {
      return false;
    }
    q.addLast(new Parked(ch, System.nanoTime()));
    if (!q.sweepScheduled) {
      q.sweepScheduled = true;
      ch.eventLoop().schedule(() -> sweep(q), idleNanos, NANOSECONDS);
    }
    return true;
  }

  /** Closes the connections idle too long; comes back when the next one will be. On the loop. */
  private void sweep(Idle q) {
    long now = System.nanoTime();
    Parked oldest;
    while ((oldest = q.peekFirst()) != null && now - oldest.sinceNanos() >= idleNanos) {
      q.pollFirst().channel().close();
    }
    q.sweepScheduled = oldest != null && !closed;
    if (q.sweepScheduled) {
      long due = oldest.sinceNanos() + idleNanos - now;
      oldest.channel().eventLoop().schedule(() -> sweep(q), due, NANOSECONDS);
    }
  }

  /** Forgets {@code ch} (it closed). On its loop. */
  void remove(Channel ch, Upstream upstream) {
    Idle q = idle.get(new Key(ch.eventLoop(), upstream));
    if (q != null) {
      q.removeIf(p -> p.channel() == ch);
    }
  }

  /** Closes every idle connection, each on its own loop; releases after this close at once. */
  void close() {
    closed = true;
    idle.forEach(
        (key, q) -> {
          try {
            key.loop().execute(() -> new ArrayDeque<>(q).forEach(p -> p.channel().close()));
          } catch (RejectedExecutionException e) {
            // The loop has shut down: its channels are closed already.
          }
        });
  }
}
