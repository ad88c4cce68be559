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

  /** Called when a WebSocket frame ended (its last payload byte was seen). */
  default void frame(Frame frame) {}

  /** Called when an HTTP exchange finished (response complete, or cut by the close). */
  default void request(Request request) {}

  /** Called when a connection closed, with everything recorded for it. */
  default void connection(ConnectionRecord record) {}
}
