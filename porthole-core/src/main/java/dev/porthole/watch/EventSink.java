package dev.porthole.watch;

/**
 * Returns somewhere events go: the log, a webhook, the desktop, a terminal, a metrics registry.
 *
 * <p>Called on the watcher's thread, so an implementation must return quickly: anything slow
 * (network, processes) is handed to its own thread.
 */
@FunctionalInterface
public interface EventSink extends AutoCloseable {
  /** Takes one stored event. */
  void accept(WatchEvent event);

  @Override
  default void close() {}
}
