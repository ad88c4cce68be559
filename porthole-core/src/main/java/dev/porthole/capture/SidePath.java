package dev.porthole.capture;

import io.netty.util.internal.PlatformDependent;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The capture's decoder thread: event loops post work to a lock-free queue and the thread runs it
 * in order. It is woken only when it sleeps for good: after the queue ran empty it lingers {@link
 * #LINGER_NANOS} first and takes what came meanwhile, so under load one wake-up serves many chunks
 * (with an executor every chunk signalled a sleeping thread: two futex calls and a context switch
 * per chunk, on the proxy's cores). Work waits at most that long more.
 */
final class SidePath implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SidePath.class);

  /** How long the thread waits for more work before it sleeps until woken: 1 ms. */
  static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final Queue<Runnable> queue = PlatformDependent.newMpscQueue();
  private final AtomicBoolean sleeping = new AtomicBoolean();
  private final Thread thread;
  private volatile boolean closing;

  SidePath(String name) {
    thread = Thread.ofPlatform().daemon().name(name).start(this::run);
  }

  /** Queues {@code work}; false when the side path is closed (the work will not run). */
  boolean execute(Runnable work) {
    if (closing) {
      return false;
    }
    queue.offer(work);
    if (sleeping.get() && sleeping.compareAndSet(true, false)) {
      LockSupport.unpark(thread);
    }
    return true;
  }

  /** Returns once what was queued before this call ran (at most {@code millis} later). */
  void sync(long millis) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (execute(() -> done.complete(null))) {
      done.get(millis, TimeUnit.MILLISECONDS);
    }
  }

  private void run() {
    while (true) {
      Runnable work = queue.poll();
      if (work != null) {
        runOne(work);
        continue;
      }
      if (closing) {
        return;
      }
      LockSupport.parkNanos(this, LINGER_NANOS);
      if (!queue.isEmpty()) {
        continue;
      }
      sleeping.set(true);
      // Re-checked after the flag is up: an offer just before it would otherwise not wake us.
      if (queue.isEmpty() && !closing) {
        LockSupport.park(this);
      }
      sleeping.set(false);
    }
  }

  private static void runOne(Runnable work) {
    try {
      work.run();
    } catch (Exception e) {
      // A decoder's bug is logged here; the proxy never sees it.
      LOG.warn("capture decoder failed", e);
    }
  }

  /** Stops the thread after what is queued (waits up to 2 s). */
  @Override
  public void close() {
    closing = true;
    LockSupport.unpark(thread);
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
