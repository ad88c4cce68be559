package dev.porthole.capture;

/**
 * Receives what a {@link CaptureRecorder} decoded, on its decoder thread: each HTTP exchange as
 * soon as its response ended, and each connection's record once it closed. Implementations must be
 * quick or hand off (the store's writer queues).
 */
public interface CaptureListener {
  /**
   * Returns one finished HTTP exchange with its connection's identity.
   *
   * @param proxy the proxy's name
   * @param connection the connection's id
   * @param client the client's address
   * @param openedMillis when the connection was accepted (epoch milliseconds)
   * @param exchange the exchange
   */
  record Request(
      String proxy, long connection, String client, long openedMillis, HttpExchange exchange) {

    /** Returns the epoch milliseconds at which the request started. */
    public long startedMillis() {
      return openedMillis + exchange.startMicros() / 1000;
    }
  }

  /**
   * Returns one WebSocket frame with its connection's identity.
   *
   * @param proxy the proxy's name
   * @param connection the connection's id
   * @param client the client's address
   * @param openedMillis when the connection was accepted (epoch milliseconds)
   * @param frame the frame
   */
  record Frame(
      String proxy, long connection, String client, long openedMillis, WebSocketFrame frame) {

    /** Returns the epoch milliseconds at which the frame was seen. */
    public long seenMillis() {
      return openedMillis + frame.micros() / 1000;
    }
  }

  /**
   * Returns a connection's identity, as a live listener learns of it before any of its bytes.
   *
   * @param proxy the proxy's name
   * @param connection the connection's id
   * @param protocol "tcp" or "udp"
   * @param client the client's address
   * @param listen the proxy's listening address
   * @param openedMillis when the connection was accepted (epoch milliseconds)
   */
  record Conversation(
      String proxy,
      long connection,
      String protocol,
      String client,
      String listen,
      long openedMillis) {}

  /**
   * Returns whether this listener wants {@link #opened} and every {@link #chunk} (a live pcap): the
   * recorder then copies every byte, not only the first ones of each direction.
   */
  default boolean live() {
    return false;
  }

  /** Called, for a {@link #live()} listener, before the first chunk of a connection. */
  default void opened(Conversation conversation) {}

  /** Called, for a {@link #live()} listener, with each chunk as the proxy carried it. */
  default void chunk(Conversation conversation, Chunk chunk) {}

  /** Called when a WebSocket frame ended (its last payload byte was seen). */
  default void frame(Frame frame) {}

  /** Called when an HTTP exchange finished (response complete, or cut by the close). */
  default void request(Request request) {}

  /** Called when a connection closed, with everything recorded for it. */
  default void connection(ConnectionRecord record) {}
}
