package dev.porthole.capture;

import java.util.ArrayList;
import java.util.List;

/**
 * Returns the recent capture events (finished HTTP requests and closed connections) in a ring with
 * sequence numbers, so followers ({@code porthole tail}) poll for what came after the last one they
 * saw and learn how many they missed when they fell further behind than the ring holds.
 */
public final class CaptureFeed implements CaptureListener {
  /**
   * Returns one line of traffic.
   *
   * @param seq the event's number, from 1
   * @param type "request", "frame" (a WebSocket frame) or "connection"
   * @param timeMillis when it started (epoch milliseconds)
   * @param proxy the proxy's name
   * @param connection the connection's id
   * @param client the client's address
   * @param kind the connection's kind ("http", "tls", "raw", ...)
   * @param method the request's method, or a frame's opcode ("text", "binary", "close", ...)
   * @param target the request's target, or a frame's payload preview (text, or base64)
   * @param status the response's status, 0 when none (requests only)
   * @param bytes response body bytes for a request, payload bytes for a frame, bytes both ways for
   *     a connection
   * @param millis the request's or the connection's duration, -1 when unfinished
   * @param end how a connection ended (connections only)
   * @param http whether the connection carried HTTP (connections only)
   * @param direction "send" (client to server) or "receive" for a frame, null otherwise
   */
  public record Event(
      long seq,
      String type,
      long timeMillis,
      String proxy,
      long connection,
      String client,
      String kind,
      String method,
      String target,
      int status,
      long bytes,
      double millis,
      String end,
      boolean http,
      String direction) {}

  /**
   * Returns the events after a sequence number and how many of those the ring lost.
   *
   * @param next the sequence number to ask after next time
   * @param last the newest event's number (where a follower that wants only new events starts)
   * @param missed events after the asked number that the ring no longer holds
   * @param events the events, oldest first
   */
  public record Page(long next, long last, long missed, List<Event> events) {}

  private final Event[] ring;
  private long seq;

  /** Returns a feed that keeps the last {@code capacity} events. */
  public CaptureFeed(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity: " + capacity + " (expected: > 0)");
    }
    ring = new Event[capacity];
  }

  /** Returns the event of a finished request, numbered {@code seq}. */
  public static Event request(long seq, Request r) {
    HttpExchange x = r.exchange();
    return new Event(
        seq,
        "request",
        r.startedMillis(),
        r.proxy(),
        r.connection(),
        r.client(),
        "http",
        x.method(),
        x.target(),
        x.status(),
        x.responseBodySize(),
        x.totalMillis(),
        null,
        true,
        null);
  }

  /** Returns the event of a WebSocket frame, numbered {@code seq}. */
  public static Event frame(long seq, Frame f) {
    WebSocketFrame w = f.frame();
    return new Event(
        seq,
        "frame",
        f.seenMillis(),
        f.proxy(),
        f.connection(),
        f.client(),
        "websocket",
        w.opcodeName(),
        w.data(),
        0,
        w.size(),
        -1,
        null,
        false,
        w.side() == Side.CLIENT ? "send" : "receive");
  }

  /** Returns the event of a closed connection, numbered {@code seq}. */
  public static Event connection(long seq, ConnectionRecord c) {
    return new Event(
        seq,
        "connection",
        c.openedMillis(),
        c.proxy(),
        c.id(),
        c.client(),
        c.kind(),
        null,
        null,
        0,
        c.bytesUp() + c.bytesDown(),
        c.durationMillis(),
        c.end().label(),
        !c.exchanges().isEmpty(),
        null);
  }

  @Override
  public void request(Request r) {
    add(seq -> request(seq, r));
  }

  @Override
  public void frame(Frame f) {
    add(seq -> frame(seq, f));
  }

  @Override
  public void connection(ConnectionRecord c) {
    add(seq -> connection(seq, c));
  }

  private synchronized void add(java.util.function.LongFunction<Event> make) {
    seq++;
    ring[(int) (seq % ring.length)] = make.apply(seq);
  }

  /** Returns up to {@code limit} events after {@code after} (0 for the oldest kept). */
  public synchronized Page after(long after, int limit) {
    after = Math.min(after, seq); // a follower of an earlier daemon starts over
    long oldest = Math.max(1, seq - ring.length + 1);
    long from = Math.max(after + 1, oldest);
    long missed = after > 0 && after + 1 < oldest ? oldest - after - 1 : 0;
    List<Event> out = new ArrayList<>();
    for (long s = from; s <= seq && out.size() < limit; s++) {
      out.add(ring[(int) (s % ring.length)]);
    }
    long next = out.isEmpty() ? Math.max(after, from - 1) : out.getLast().seq();
    return new Page(next, seq, missed, out);
  }

  /** Returns the number of the newest event (0 when none). */
  public synchronized long last() {
    return seq;
  }
}
