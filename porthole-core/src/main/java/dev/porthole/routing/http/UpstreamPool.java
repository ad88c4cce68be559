package dev.porthole.routing.http;

import dev.porthole.routing.Upstream;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.RejectedExecutionException;

/**
 * The idle upstream connections of one router, per event loop and upstream: a connection whose
 * response ended cleanly waits here for the next request to the same upstream, from any client
 * connection or HTTP/2 stream on that loop, so N requests need far fewer than N connects (the
 * upstream's accept queue and the TCP handshake were most of the router's cost per request).
 *
 * <p>Each deque is touched only on its own loop (a client and its upstream share one loop), so no
 * lock is needed; the map only finds the deque.
 */
final class UpstreamPool {
  /** Idle connections kept per loop and upstream; more are closed, not kept. */
  static final int MAX_IDLE = 64;

  /** How long a connection may wait idle before the pool closes it, in milliseconds. */
  static final long IDLE_MILLIS = 30_000;

  private record Key(EventLoop loop, Upstream upstream) {}

  private final ConcurrentMap<Key, ArrayDeque<Channel>> idle = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /** Returns an idle, open connection to {@code upstream} on {@code loop}, or null. On the loop. */
  Channel acquire(EventLoop loop, Upstream upstream) {
    ArrayDeque<Channel> q = idle.get(new Key(loop, upstream));
    if (q == null) {
      return null;
    }
    Channel ch;
    while ((ch = q.pollLast()) != null) {
      if (ch.isActive()) {
        return ch; // the most recently used: the one least likely to have been timed out
      }
    }
    return null;
  }

  /** Keeps {@code ch} for the next request; returns false when it must be closed instead. */
  boolean release(Channel ch, Upstream upstream) {
    if (closed || !ch.isActive()) {
      return false;
    }
    ArrayDeque<Channel> q =
        idle.computeIfAbsent(new Key(ch.eventLoop(), upstream), k -> new ArrayDeque<>());
    if (q.size() >= MAX_IDLE) {
      return false;
    }
    q.addLast(ch);
    return true;
  }

  /** Forgets {@code ch} (it closed, or timed out). On its loop. */
  void remove(Channel ch, Upstream upstream) {
    ArrayDeque<Channel> q = idle.get(new Key(ch.eventLoop(), upstream));
    if (q != null) {
      q.remove(ch);
    }
  }

  /** Closes every idle connection, each on its own loop; releases after this close at once. */
  void close() {
    closed = true;
    idle.forEach(
        (key, q) -> {
          try {
            key.loop().execute(() -> new ArrayDeque<>(q).forEach(Channel::close));
          } catch (RejectedExecutionException e) {
            // The loop has shut down: its channels are closed already.
          }
        });
  }
}
