package dev.porthole.capture;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Returns the decoder-thread half of a connection's recording: keeps the first bytes of each side
 * as chunks, recognises HTTP/1.1 and TLS from the first bytes, feeds HTTP to an {@link
 * HttpDecoding} and builds the {@link ConnectionRecord} at the end. A decoding failure turns the
 * connection into "raw" and never reaches the proxy.
 */
final class StreamDecoder {
  private static final int SNIFF = 8;

  private final CaptureSettings settings;
  private final String proxy;
  private final long id;
  private final String protocol;
  private final InetSocketAddress client;
  private final InetSocketAddress listen;
  private final String upstream;
  private final CaptureRecorder recorder;
  private final List<Chunk> chunks = new ArrayList<>();
  private final long[] kept = new long[2];
  private volatile boolean wantsAll = true;
  private long openedMillis;
  private long dialMicros = -1;
  private String kind;
  private TlsHello tls;
  private HttpDecoding http;
  private WebSocketFrames ws;
  private List<WebSocketFrame> frames = List.of();
  private String stopped;
  private CaptureListener.Conversation conversation;
  private List<HttpExchange> exchanges = List.of();
  private long exchangesSeen;
  private boolean keptAll = true;

  StreamDecoder(
      CaptureSettings settings,
      String proxy,
      long id,
      String protocol,
      InetSocketAddress client,
      InetSocketAddress listen,
      String upstream,
      CaptureRecorder recorder) {
    this.settings = settings;
    this.proxy = proxy;
    this.id = id;
    this.protocol = protocol;
    this.client = client;
    this.listen = listen;
    this.upstream = upstream;
    this.recorder = recorder;
    this.wantsAll = "tcp".equals(protocol);
  }

  /**
   * Returns whether the tap must copy every byte (HTTP or WebSocket being decoded, not yet known,
   * or a live pcap listening).
   */
  boolean wantsAll() {
    return wantsAll || recorder.live();
  }

  int streamLimit() {
    return settings.streamLimit();
  }

  void opened(long millis) {
    this.openedMillis = millis;
  }

  void dialed(long micros) {
    live();
    dialMicros = micros;
  }

  /** Returns the conversation for live listeners, telling them of it once (decoder thread). */
  private CaptureListener.Conversation live() {
    if (conversation == null && recorder.live()) {
      conversation =
          new CaptureListener.Conversation(
              proxy, id, protocol, address(client), address(listen), openedMillis);
      recorder.opened(conversation);
    }
    return conversation;
  }

  /** Takes a copied chunk (decoder thread). */
  void feed(Side side, long micros, byte[] data) {
    if (live() != null) {
      recorder.chunk(conversation, new Chunk(side, micros, data));
    }
    int room = (int) Math.min(data.length, settings.streamLimit() - kept[side.ordinal()]);
    if (room > 0 && recorder.keep(room)) {
      byte[] keep = room == data.length ? data : java.util.Arrays.copyOf(data, room);
      chunks.add(new Chunk(side, micros, keep));
      kept[side.ordinal()] += room;
      keptAll &= room == data.length;
    } else {
      keptAll = false;
    }
    if (kind == null) {
      sniff(side, data);
    }
    if (http != null) {
      try {
        http.feed(side, micros, data);
        if (http.upgraded() != null) {
          upgrade(micros);
        }
      } catch (Exception notHttp) {
        recorder.countNotHttp();
        kind = "raw";
        stopped = "not HTTP: " + notHttp.getMessage();
        stopHttp();
      }
    } else if (ws != null) {
      frames(side, micros, data, 0);
    }
  }

  /** Follows what the stream became after an exchange: WebSocket frames, or nothing more. */
  private void upgrade(long micros) {
    kind = http.upgraded();
    byte[] rest = http.leftover();
    if ("websocket".equals(kind)) {
      ws = new WebSocketFrames(this::frameDone); // before stopHttp: the tap keeps copying all
    }
    stopHttp();
    if (ws != null) {
      frames(Side.SERVER, micros, rest, 0);
    }
  }

  private void frames(Side side, long micros, byte[] data, int offset) {
    try {
      ws.feed(side, micros, data, offset);
    } catch (IllegalStateException notWebSocket) {
      stopped = notWebSocket.getMessage();
      stopFrames();
    }
  }

  private void stopFrames() {
    if (ws != null) {
      frames = ws.frames();
      ws = null;
    }
    wantsAll = false;
  }

  private void frameDone(WebSocketFrame frame) {
    recorder.publish(new CaptureListener.Frame(proxy, id, address(client), openedMillis, frame));
  }

  private void sniff(Side side, byte[] first) {
    if (side == Side.SERVER || !"tcp".equals(protocol)) {
      kind = "raw"; // the server spoke first (or datagrams): not HTTP, not TLS
    } else if (TlsHello.looksLikeTls(first)) {
      kind = "tls";
      tls = TlsHello.parse(first);
    } else if (HttpDecoding.looksLikeRequest(first, SNIFF)) {
      kind = "http";
      http = new HttpDecoding(settings.bodyLimit(), this::exchangeDone);
      return;
    } else {
      kind = "raw";
    }
    wantsAll = false;
  }

  private void stopHttp() {
    if (http != null) {
      exchanges = http.exchanges();
      exchangesSeen = http.seen();
      http.close();
      http = null;
    }
    wantsAll = ws != null;
  }

  private void exchangeDone(HttpExchange exchange) {
    recorder.publish(
        new CaptureListener.Request(proxy, id, address(client), openedMillis, exchange));
  }

  /**
   * Notes that bytes of {@code side} went by unseen from now on: {@code why} is "spliced" or
   * "decoder behind" (the backlog was full), and the record says so when it was still decoding.
   */
  void gap(Side side, long micros, String why) {
    keptAll = false;
    if (http != null || ws != null) {
      stopped = stopped == null ? why : stopped;
    }
    if (http != null) {
      http.cut(micros);
      stopHttp();
    }
    stopFrames();
  }

  /** Builds and publishes the record (decoder thread). */
  void finish(
      EndReason end, long closedMillis, long firstByte, boolean complete, long up, long down) {
    live();
    recorder.kept(kept[0] + kept[1]);
    if (http != null) {
      http.cut((closedMillis - openedMillis) * 1000);
      stopHttp();
    }
    stopFrames();
    recorder.publish(
        new ConnectionRecord(
            id,
            proxy,
            protocol,
            address(client),
            address(listen),
            upstream,
            openedMillis,
            dialMicros,
            firstByte,
            closedMillis,
            up,
            down,
            end,
            kind == null ? "raw" : kind,
            tls,
            exchanges,
            List.copyOf(chunks),
            complete && keptAll,
            frames,
            stopped,
            exchangesSeen));
  }

  /** Returns {@code host:port}, with IPv6 in brackets. */
  static String address(InetSocketAddress a) {
    if (a == null) {
      return "";
    }
    String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }
}
