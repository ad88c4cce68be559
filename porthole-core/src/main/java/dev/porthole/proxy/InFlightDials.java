package dev.porthole.proxy;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Returns an engine's upstream dials that have begun and whose socket is not yet recorded in the
 * {@link LoopGuard}, by the port they dial, so that a connection accepted on that port waits for
 * them before it dials on.
 *
 * <p>On loopback the kernel completes the handshake at once, so our listener may accept the socket
 * of one of our own dials before the dialer's event loop has recorded that socket. Without the
 * wait, the accepted hop of a loop dialed on before it was recognised, and each such race let one
 * more hop through (a two-proxy loop ran to 49 connections). A connection waits only for the dials
 * that began before it was accepted (its own previous hop can only be one of those), so a steady
 * stream of new dials to the port cannot hold it; and never longer than {@link #MAX_WAIT_MILLIS}.
 */
final class InFlightDials {
  /** The longest an accepted connection waits for the dials in flight when it came. */
  static final long MAX_WAIT_MILLIS = 500;

  private record Waiter(long before, Runnable start) {}

  /** Returns one dial in flight, ended once the listener {@link #then} makes has run. */
  record Dial(InFlightDials dials, int port, long ticket) {
    /**
     * Returns a listener for the dial's future that runs {@code connected} (which records the
     * socket in the loop guard) and then ends the dial, so waiting connections see the record.
     */
    ChannelFutureListener then(Consumer<ChannelFuture> connected) {
      return f -> {
        try {
          connected.accept(f);
        } finally {
          dials.ended(port, ticket);
        }
      };
    }
  }

  /** Records a dial to {@code port} about to begin (call it before connect()). */
  Dial begin(int port) {
    return new Dial(this, port, began(port));
  }

  // Guarded by this: tickets of the dials in flight, and the connections waiting, by port dialed.
  private final Map<Integer, TreeSet<Long>> inFlight = new HashMap<>();
  private final Map<Integer, List<Waiter>> waiting = new HashMap<>();
  private long nextTicket;

  /** Records a dial to {@code port} about to begin; returns its ticket for {@link #ended}. */
  synchronized long began(int port) {
    long ticket = nextTicket++;
    inFlight.computeIfAbsent(port, p -> new TreeSet<>()).add(ticket);
    return ticket;
  }

  /** Records that dial {@code ticket} to {@code port} is recorded or failed; starts who waited. */
  void ended(int port, long ticket) {
    List<Runnable> ready = new ArrayList<>();
    synchronized (this) {
      TreeSet<Long> tickets = inFlight.get(port);
      if (tickets == null || !tickets.remove(ticket)) {
        return;
      }
      long oldest = tickets.isEmpty() ? Long.MAX_VALUE : tickets.first();
      if (tickets.isEmpty()) {
        inFlight.remove(port);
      }
      List<Waiter> list = waiting.getOrDefault(port, List.of());
      for (Iterator<Waiter> it = list.iterator(); it.hasNext(); ) {
        Waiter w = it.next();
        if (w.before() <= oldest) {
          ready.add(w.start());
          it.remove();
        }
      }
      if (list.isEmpty()) {
        waiting.remove(port);
      }
    }
    ready.forEach(Runnable::run);
  }

  /**
   * Runs {@code start} on {@code loop} once every dial to {@code port} in flight now has ended (at
   * once when there is none, as for nearly every connection), or after {@link #MAX_WAIT_MILLIS}.
   */
  void afterDials(int port, EventExecutor loop, Runnable start) {
    AtomicBoolean ran = new AtomicBoolean();
    Runnable once =
        () -> {
          if (ran.compareAndSet(false, true)) {
            loop.execute(start);
          }
        };
    Waiter waiter;
    synchronized (this) {
      if (!inFlight.containsKey(port)) {
        waiter = null;
      } else {
        waiter = new Waiter(nextTicket, once);
        waiting.computeIfAbsent(port, p -> new ArrayList<>()).add(waiter);
      }
    }
    if (waiter == null) {
      start.run();
      return;
    }
    loop.schedule(
        () -> {
          synchronized (this) {
            List<Waiter> list = waiting.get(port);
            if (list != null && list.remove(waiter) && list.isEmpty()) {
              waiting.remove(port);
            }
          }
          once.run();
        },
        MAX_WAIT_MILLIS,
        TimeUnit.MILLISECONDS);
  }
}
