package dev.porthole.server.dashboard;

import dev.porthole.watch.Listener;
import dev.porthole.watch.ListenerReader;
import dev.porthole.watch.Watcher;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Returns the dashboard's listeners: the watch's last cycle when that reading began after the
 * dashboard's own last one, else a reading of its own.
 *
 * <p>Why the comparison: the watch publishes a cycle when it ends, and a cycle can take seconds on
 * a loaded machine. While the first cycle runs the dashboard reads the sockets itself; taking the
 * watch's cycle as soon as it ends would swap a fresh reading for one begun earlier, and a listener
 * opened in between would vanish from one request to the next.
 */
final class FreshestListeners implements Supplier<List<Listener>> {
  private final Supplier<Optional<Watcher.Reading>> watch;
  private final ListenerReader own;
  private boolean readOwn;
  private long ownStartedNanos;

  FreshestListeners(Supplier<Optional<Watcher.Reading>> watch, ListenerReader own) {
    this.watch = watch;
    this.own = own;
  }

  @Override
  public synchronized List<Listener> get() {
    Optional<Watcher.Reading> cycle = watch.get();
    // nanoTime values are compared by difference: they may wrap.
    if (cycle.isPresent() && (!readOwn || cycle.get().startedNanos() - ownStartedNanos >= 0)) {
      return cycle.get().listeners();
    }
    readOwn = true;
    ownStartedNanos = System.nanoTime();
    return own.read();
  }
}
