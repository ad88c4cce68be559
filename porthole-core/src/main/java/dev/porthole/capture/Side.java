package dev.porthole.capture;

/** Who sent a chunk of a captured stream: the proxy's client, or the upstream server. */
public enum Side {
  /** Bytes the client sent, carried towards the upstream. */
  CLIENT,
  /** Bytes the upstream sent, carried back to the client. */
  SERVER;

  /** Returns the other side. */
  public Side other() {
    return this == CLIENT ? SERVER : CLIENT;
  }
}
