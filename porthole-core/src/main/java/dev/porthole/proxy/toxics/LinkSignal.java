package dev.porthole.proxy.toxics;

/**
 * Returns the user events toxics send down a link's pipeline to the relay at its end.
 *
 * <p>They travel through the toxics after the sender, which pass them on unchanged.
 */
public sealed interface LinkSignal {
  /** Returns a signal that a toxic discarded {@code bytes}, so the link may read again. */
  record Dropped(int bytes) implements LinkSignal {}

  /** Returns a signal to close the whole connection after what was sent; RST when reset. */
  record Close(boolean reset) implements LinkSignal {}

  /** Close with FIN, after pending writes. */
  Close CLOSE = new Close(false);

  /** Close with RST (SO_LINGER 0) on both sockets. */
  Close RESET = new Close(true);
}
