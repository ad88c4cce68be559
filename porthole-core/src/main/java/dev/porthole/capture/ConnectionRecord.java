package dev.porthole.capture;

import java.util.List;

/**
 * One proxied TCP connection (or UDP session) as recorded: where from and to, when each step
 * happened, the bytes each way and how it ended, plus what the side path decoded from a copy of its
 * bytes.
 *
 * @param id the proxy's connection number (1, 2, ... per proxy run)
 * @param proxy the proxy's name
 * @param protocol "tcp" or "udp"
 * @param client the client's address ({@code 127.0.0.1:41234})
 * @param listen the proxy's listening address
 * @param upstream the upstream address as configured
 * @param openedMillis when the client was accepted (epoch milliseconds)
 * @param dialMicros when the upstream dial succeeded, microseconds after accept; -1 when it did not
 * @param firstByteMicros when the first byte was carried either way; -1 when none was
 * @param closedMillis when the connection ended (epoch milliseconds)
 * @param bytesUp bytes carried client to upstream (counted, also while spliced)
 * @param bytesDown bytes carried upstream to client
 * @param end how it ended
 * @param kind what the side path saw: "http", "tls", "websocket" or "raw"
 * @param tls the TLS ClientHello's server name and ALPN protocols, or {@code null}
 * @param exchanges the HTTP exchanges, in order (empty unless {@code kind} is "http"); the first
 *     1,000 of a connection are kept, {@code exchangesSeen} says how many there were
 * @param chunks the stream's first bytes each way, in the order they were carried
 * @param complete whether {@code chunks} hold every byte that was carried
 * @param frames the WebSocket frames after the upgrade, in order (empty unless {@code kind} is
 *     "websocket"; at most 1,000)
 * @param decodingStopped why decoding stopped before the end ("spliced", "decoder behind", "not
 *     HTTP: ...", "not WebSocket: ..."), or null when it followed the whole connection
 * @param exchangesSeen how many HTTP exchanges the connection carried (kept or not)
 */
public record ConnectionRecord(
    long id,
    String proxy,
    String protocol,
    String client,
    String listen,
    String upstream,
    long openedMillis,
    long dialMicros,
    long firstByteMicros,
    long closedMillis,
    long bytesUp,
    long bytesDown,
    EndReason end,
    String kind,
    TlsHello tls,
    List<HttpExchange> exchanges,
    List<Chunk> chunks,
    boolean complete,
    List<WebSocketFrame> frames,
    String decodingStopped,
    long exchangesSeen) {

  /** Returns a record with no frames list as an empty one (records stored before frames). */
  public ConnectionRecord {
    frames = frames == null ? List.of() : frames;
    exchangesSeen = Math.max(exchangesSeen, exchanges == null ? 0 : exchanges.size());
  }

  /** Returns the number of bytes of payload kept in {@code chunks}. */
  public long keptBytes() {
    long n = 0;
    for (Chunk c : chunks) {
      n += c.data().length;
    }
    return n;
  }

  /** Returns the connection's duration in milliseconds. */
  public long durationMillis() {
    return Math.max(0, closedMillis - openedMillis);
  }
}
