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
  // The client's text, made once: every exchange and frame names it.
  private String clientText;
  private final InetSocketAddress listen;
  private final String upstream;
  private final CaptureRecorder recorder;
  private final List<Chunk> chunks = new ArrayList<>();
  private final long[] kept = new long[2];
  // Bytes reserved with the recorder for chunks and exchanges; freed when the record goes.
  private long held;
  private volatile boolean wantsAll = true;
  // True while HTTP is decoded or not yet recognised: the proxy splices only known body rests.
  private volatile boolean framing;
  private final BodySpan[] spans = new BodySpan[2];
  private final long[] fed = new long[2];
  // Per side: bytes skipped (spliced body rests) since the last kept chunk.
  private final long[] unseen = new long[2];
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
    this.framing = wantsAll;
  }

  /** Returns whether HTTP is being decoded or may be (any thread). */
  boolean framing() {
    return framing;
  }

  /**
   * Returns how many bytes of {@code side} from {@code offset} are the unseen-able rest of the body
   * being decoded (any thread; the span may lag behind the proxy, never lead it).
   */
  long spliceable(Side side, long offset) {
    BodySpan span;
    synchronized (spans) {
      span = spans[side.ordinal()];
    }
    return span == null ? 0 : span.restAt(offset);
  }

  /** Publishes where the body now read from {@code side} may be spliced (decoder thread). */
  private void span(Side side) {
    BodySpan span = null;
    long left = http == null ? -1 : http.bodyRemaining(side);
    Body body = left > 0 ? http.body(side) : null;
    if (body != null) {
      long at = fed[side.ordinal()];
      span = new BodySpan(at + Math.max(0, settings.bodyLimit() - body.size()), at + left);
    }
    synchronized (spans) {
      spans[side.ordinal()] = span;
    }
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
              proxy, id, protocol, clientText(), address(listen), openedMillis);
      recorder.opened(conversation);
    }
    return conversation;
  }

  /** Takes a copied chunk (decoder thread). */
  void feed(Side side, long micros, byte[] data) {
    fed[side.ordinal()] += data.length;
    if (live() != null) {
      recorder.chunk(conversation, new Chunk(side, micros, data));
    }
    int room = (int) Math.min(data.length, settings.streamLimit() - kept[side.ordinal()]);
    if (room > 0 && hold(room + Held.CHUNK)) {
      byte[] keep = room == data.length ? data : java.util.Arrays.copyOf(data, room);
      chunks.add(new Chunk(side, micros, keep, unseen[side.ordinal()]));
      unseen[side.ordinal()] = 0;
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
        } else {
          span(side);
        }
      } catch (Exception notHttp) {
        notHttp(notHttp);
      }
    } else if (ws != null) {
      frames(side, micros, data, 0);
    }
  }

  /**
   * Takes {@code n} bytes of {@code side} that were spliced within a published span: the body
   * counts them unseen and decoding goes on after them (decoder thread).
   */
  void skip(Side side, long micros, long n) {
    fed[side.ordinal()] += n;
    unseen[side.ordinal()] += n;
    keptAll = false;
    if (http == null) {
      gap(side, micros, "spliced");
      return;
    }
    try {
      http.skip(side, micros, n);
      span(side);
    } catch (Exception notHttp) {
      notHttp(notHttp);
    }
  }

  private void notHttp(Exception notHttp) {
    recorder.countNotHttp();
    kind = "raw";
    stopped = notHttpReason(notHttp);
    stopHttp();
  }

  /** Returns the record's reason for a framing failure: "not HTTP: " once, then why. */
  static String notHttpReason(Exception e) {
    String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return "not HTTP: " + why;
  }

  /** Follows what the stream became after an exchange: WebSocket frames, or nothing more. */
  private void upgrade(long micros) {
    kind = http.upgraded();
    byte[] rest = http.leftover();
    if ("websocket".equals(kind)) {
      // Before stopHttp: the tap keeps copying all.
      ws = new WebSocketFrames(this::frameDone, PerMessageDeflate.of(http.extensions()));
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
      ws.close();
      ws = null;
    }
    wantsAll = false;
  }

  private void frameDone(WebSocketFrame frame) {
    recorder.publish(new CaptureListener.Frame(proxy, id, clientText(), openedMillis, frame));
  }

  private void sniff(Side side, byte[] first) {
    if (side == Side.SERVER || !"tcp".equals(protocol)) {
      kind = "raw"; // the server spoke first (or datagrams): not HTTP, not TLS
    } else if (TlsHello.looksLikeTls(first)) {
      kind = "tls";
      tls = TlsHello.parse(first);
    } else if (HttpDecoding.looksLikeRequest(first, SNIFF)) {
      kind = "http";
      http = new HttpDecoding(settings.bodyLimit(), this::exchangeDone, this::hold);
      return;
    } else {
      kind = "raw";
    }
    wantsAll = false;
    framing = false;
  }

  private void stopHttp() {
    if (http != null) {
      exchanges = http.exchanges();
      exchangesSeen = http.seen();
      http.close();
      http = null;
    }
    framing = false;
    wantsAll = ws != null;
  }

  /** Reserves {@code n} bytes to hold until the record goes; false when open ones hold enough. */
  private boolean hold(long n) {
    if (recorder.keep(n)) {
      held += n;
      return true;
    }
    return false;
  }

  private void exchangeDone(HttpExchange exchange) {
    recorder.publish(new CaptureListener.Request(proxy, id, clientText(), openedMillis, exchange));
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
    recorder.kept(held);
    held = 0;
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
            clientText(),
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

  private String clientText() {
    if (clientText == null) {
      clientText = address(client);
    }
    return clientText;
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
