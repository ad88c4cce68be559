package dev.porthole.proxy.toxics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the HTTP toxics in an EmbeddedChannel: what passes on, what the client is answered. */
@Timeout(10)
class HttpToxicsTest {
  static final String GET = "GET /api/users?id=1 HTTP/1.1\r\nHost: x\r\n\r\n";
  static final String POST =
      "POST /api/users HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello";
  static final String OTHER = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";

  /** Returns a toxic in a channel: "passed" gets what goes upstream, "signals" the link events. */
  static final class Link {
    final EmbeddedChannel channel = new EmbeddedChannel();
    final TrackedAllocator alloc = new TrackedAllocator();
    final StringBuilder passed = new StringBuilder();
    final List<String> signals = new ArrayList<>();
    // Direct buffers a test sent ({@link Shape#DIRECT}): the tracked allocator makes heap ones.
    final List<ByteBuf> direct = new ArrayList<>();
    long dropped;

    Link(Toxic toxic) {
      LINKS.add(this);
      channel.config().setAllocator(alloc);
      channel.freezeTime();
      channel.pipeline().addLast("toxic", toxic);
      channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
          ByteBuf buf = (ByteBuf) msg;
          passed.append(buf.toString(StandardCharsets.ISO_8859_1));
          buf.release();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
          if (evt instanceof LinkSignal.Dropped d) {
            dropped += d.bytes();
          } else {
            signals.add(String.valueOf(evt));
          }
        }
      });
    }

    /** Sends {@code text} in chunks of {@code size} bytes, to cut heads and bodies anywhere. */
    Link send(String text, int size) {
      for (int i = 0; i < text.length(); i += size) {
        String part = text.substring(i, Math.min(text.length(), i + size));
        channel.writeInbound(copied(part));
      }
      channel.runPendingTasks();
      return this;
    }

    /** Returns {@code text} in a buffer from the tracked allocator. */
    ByteBuf copied(String text) {
      return alloc.buffer(text.length()).writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Returns what the toxic wrote back to the client. */
    String answered() {
      StringBuilder sb = new StringBuilder();
      for (Object o; (o = channel.readOutbound()) != null; ) {
        sb.append(((ByteBuf) o).toString(StandardCharsets.ISO_8859_1));
        ((ByteBuf) o).release();
      }
      return sb.toString();
    }
  }

  /** The links of the running test, closed after it. */
  static final List<Link> LINKS = new ArrayList<>();

  /**
   * Closes every link and checks that no buffer the toxics or the test allocated is still held: a
   * toxic that keeps a buffer past the end of its connection fails the test that made it.
   */
  @AfterEach
  void closedLinksHoldNoBuffers() {
    List<String> leaks = new ArrayList<>();
    for (Link link : LINKS) {
      link.channel.finishAndReleaseAll();
      leaks.addAll(link.alloc.unreleased());
      link.direct.stream().filter(b -> b.refCnt() > 0).forEach(b -> leaks.add("a direct chunk"));
    }
    LINKS.clear();
    assertThat(leaks).as("buffers still referenced after the links closed").isEmpty();
  }

  static HttpError error(int status, String body, String method, String path, double rate,
      DoubleSupplier random) {
    return new HttpError(status, body, new HttpMatch(method, path), rate, random);
  }

  static HttpError error() {
    return error(503, "down", "", "", 1, () -> 0.5);
  }

  @Test
  void errorAnswersEveryRequestWithoutForwardingOnAnyChunking() {
    for (int size : new int[] {1, 3, 7, 1000}) {
      Link link = new Link(error()).send(GET + POST + GET, size);
      assertThat(link.passed.toString()).isEmpty();
      assertThat(link.dropped).isEqualTo((GET + POST + GET).length());
      String answer = "HTTP/1.1 503 Service Unavailable\r\n"
          + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 4\r\n"
          + "X-Porthole-Toxic: http_error\r\n\r\ndown";
      assertThat(link.answered()).isEqualTo(answer + answer + answer);
      assertThat(link.signals).isEmpty();
    }
  }

  @Test
  void errorFiltersByMethodAndPathGlobAndPassesOthersByteForByte() {
    Link link = new Link(error(500, "", "get", "/api/*", 1, () -> 0.5)).send(POST + OTHER + GET, 5);
    assertThat(link.passed.toString()).isEqualTo(POST + OTHER);
    assertThat(link.answered()).startsWith("HTTP/1.1 500 Internal Server Error\r\n")
        .contains("Content-Length: 0\r\n").hasLineCount(5);
    Link byPath = new Link(error(404, "", "", "/health", 1, () -> 0.5)).send(GET + OTHER, 4);
    assertThat(byPath.passed.toString()).isEqualTo(GET);
    assertThat(byPath.answered()).startsWith("HTTP/1.1 404 Not Found\r\n");
  }

  @Test
  void errorActsOnTheRateOfRequestsDrawn() {
    double[] draws = {0.1, 0.9, 0.29, 0.3};
    int[] next = {0};
    Link link = new Link(error(503, "", "", "", 0.3, () -> draws[next[0]++])).send(
        POST + OTHER + GET + POST, 9);
    assertThat(link.passed.toString()).isEqualTo(OTHER + POST);
    assertThat(link.answered().split("HTTP/1.1 503", -1)).hasSize(3);
  }

  @Test
  void errorClosesAfterAnsweringARequestThatAskedToClose() {
    Link link = new Link(error()).send("GET / HTTP/1.1\r\nConnection: close\r\n\r\n", 100);
    assertThat(link.answered()).contains("Connection: close\r\n");
    link.channel.runPendingTasks();
    assertThat(link.signals).containsExactly(LinkSignal.CLOSE.toString());
  }

  @Test
  void chunkedBodiesAreDiscardedToTheirEnd() {
    String chunked = "PUT /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "3\r\nabc\r\n0\r\n\r\n";
    Link link = new Link(error(503, "", "PUT", "", 1, () -> 0.5)).send(chunked + OTHER, 2);
    assertThat(link.passed.toString()).isEqualTo(OTHER);
    assertThat(link.answered()).startsWith("HTTP/1.1 503");
  }

  @Test
  void nonHttpPassesUntouched() {
    String[] streams = {"\u0016\u0003\u0001\u0002\u0000hello", "hello world\r\n\r\n",
        "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "GETTING-A-VERY-LONG-WORD-FIRST and more"};
    for (String stream : streams) {
      for (Toxic toxic : new Toxic[] {error(), new HttpDrop(new HttpMatch("", ""), 1, () -> 0)}) {
        Link link = new Link(toxic).send(stream + GET, 3);
        assertThat(link.passed.toString()).isEqualTo(stream + GET);
        assertThat(link.answered()).isEmpty();
        assertThat(link.signals).isEmpty();
      }
    }
  }

  @Test
  void dropClosesAtTheHeadOfAMatchingRequest() {
    Link link = new Link(new HttpDrop(new HttpMatch("POST", ""), 1, () -> 0.5))
        .send(GET + POST.substring(0, 30), 6);
    assertThat(link.passed.toString()).isEqualTo(GET);
    assertThat(link.signals).isEmpty();
    link.send(POST.substring(30), 6);
    assertThat(link.passed.toString()).isEqualTo(GET);
    assertThat(link.signals).containsExactly(LinkSignal.CLOSE.toString());
    assertThat(link.answered()).isEmpty();
  }

  @Test
  void aConnectionBetweenRequestsHoldsNoBuffer() {
    for (Toxic toxic : new Toxic[] {error(), error(503, "", "POST", "", 1, () -> 0.5)}) {
      Link link = new Link(toxic).send(GET + POST + OTHER, 7);
      assertThat(link.answered()).startsWith("HTTP/1.1 503");
      assertThat(link.alloc.unreleased()).as("held while the link is still open").isEmpty();
    }
  }

  @Test
  void removalPassesAHeldPartialHead() {
    Link link = new Link(error()).send(GET.substring(0, 10), 100);
    assertThat(link.passed.toString()).isEmpty();
    link.channel.pipeline().remove("toxic");
    assertThat(link.passed.toString()).isEqualTo(GET.substring(0, 10));
  }

  @Test
  void badAttributesAreRefused() {
    assertThatThrownBy(() -> HttpError.TYPE.validate(Map.of("status", 99L)))
        .hasMessage("http_error: status must be between 200 and 599 (got 99)");
    assertThatThrownBy(() -> HttpError.TYPE.validate(Map.of("rate", 2.0)))
        .hasMessage("http_error: rate must be between 0.0 and 1.0 (got 2.0)");
    assertThatThrownBy(() -> HttpDrop.TYPE.validate(Map.of("path", 7L)))
        .hasMessage("http_drop: path must be a string");
    assertThat(HttpError.TYPE.attributeType("body")).isEqualTo(String.class);
  }

  static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789";

  /** Writes {@code request} towards the server, as the upstream relay does. */
  static void asked(Link link, String request) {
    link.channel.writeOutbound(link.copied(request));
    link.answered(); // what reached the "server"
  }

  @Test
  void delayHoldsMatchingResponsesOnly() {
    Link link = new Link(new HttpDelay(200, new HttpMatch("", "/api/*")));
    asked(link, GET + OTHER);
    link.send(OK, 20);
    assertThat(link.passed.toString()).isEmpty();
    link.channel.advanceTimeBy(199, java.util.concurrent.TimeUnit.MILLISECONDS);
    link.channel.runPendingTasks();
    assertThat(link.passed.toString()).isEmpty();
    link.channel.advanceTimeBy(1, java.util.concurrent.TimeUnit.MILLISECONDS);
    link.channel.runPendingTasks();
    assertThat(link.passed.toString()).isEqualTo(OK);
    link.send(OK, 7); // answers /health: not held
    assertThat(link.passed.toString()).isEqualTo(OK + OK);
  }

  @Test
  void delayPassesNonHttpAtOnce() {
    Link link = new Link(new HttpDelay(200, new HttpMatch("", "")));
    asked(link, "SSH-2.0-client\r\n");
    link.send("SSH-2.0-server\r\n" + OK, 5);
    assertThat(link.passed.toString()).isEqualTo("SSH-2.0-server\r\n" + OK);
  }

  @Test
  void abortCutsTheBodyAfterTheBytesAndResets() {
    for (int size : new int[] {1, 3, 100}) {
      Link link = new Link(new HttpAbort(4, new HttpMatch("", "")));
      asked(link, GET);
      link.send(OK + OK, size);
      assertThat(link.passed.toString()).isEqualTo(OK.substring(0, OK.length() - 6));
      assertThat(link.signals).containsExactly(LinkSignal.RESET.toString());
      assertThat(link.dropped).isEqualTo(6 + OK.length());
    }
  }

  @Test
  void abortLetsShortAndUnmatchedResponsesThroughAndKnowsHeadHasNoBody() {
    Link whole = new Link(new HttpAbort(10, new HttpMatch("", "")));
    asked(whole, GET + GET);
    whole.send(OK + OK, 6);
    assertThat(whole.passed.toString()).isEqualTo(OK + OK);
    assertThat(whole.signals).isEmpty();

    Link head = new Link(new HttpAbort(3, new HttpMatch("GET", "")));
    asked(head, "HEAD /a HTTP/1.1\r\n\r\n" + POST + GET);
    String headAnswer = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n";
    head.send(headAnswer + OK + OK, 8);
    assertThat(head.passed.toString())
        .isEqualTo(headAnswer + OK + OK.substring(0, OK.length() - 7));
    assertThat(head.signals).containsExactly(LinkSignal.RESET.toString());
  }

  /** Where a chunk's bytes sit: the three shapes the framing reads them from. */
  enum Shape {
    /** A heap buffer whose readable bytes start past its array's first byte. */
    HEAP_AFTER_READER_INDEX,
    /** A slice of a larger heap buffer (a non-zero array offset). */
    HEAP_SLICE,
    /** A direct buffer (no array: copied to the event loop's scratch). */
    DIRECT
  }

  /** Sends {@code text} cut at {@code cuts} (ascending), each piece a buffer of {@code shape}. */
  static void sendCut(Link link, String text, Shape shape, int... cuts) {
    int from = 0;
    for (int i = 0; i <= cuts.length; i++) {
      int to = i < cuts.length ? cuts[i] : text.length();
      byte[] part = text.substring(from, to).getBytes(StandardCharsets.ISO_8859_1);
      ByteBuf buf =
          switch (shape) {
            case HEAP_AFTER_READER_INDEX ->
                link.alloc.buffer(part.length + 3).writeBytes(new byte[3]).writeBytes(part)
                    .skipBytes(3);
            case HEAP_SLICE -> {
              ByteBuf whole = link.alloc.buffer(part.length + 6).writeBytes(new byte[3])
                  .writeBytes(part).writeBytes(new byte[3]);
              ByteBuf slice = whole.retainedSlice(3, part.length);
              whole.release();
              yield slice;
            }
            case DIRECT -> {
              ByteBuf direct = Unpooled.directBuffer(part.length).writeBytes(part);
              link.direct.add(direct);
              yield direct;
            }
          };
      link.channel.writeInbound(buf);
      from = to;
    }
    link.channel.runPendingTasks();
  }

  static final String CHUNKED_PUT = "PUT /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
      + "3;ext=1\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nX-Sum: 9\r\n\r\n";

  @Test
  void requestsAreFramedAlikeAtEveryByteCutAndInEveryBufferShape() {
    String stream = POST + CHUNKED_PUT + GET + "HEAD /h HTTP/1.1\r\n\r\n";
    for (Shape shape : Shape.values()) {
      for (int i = 1; i < stream.length(); i++) {
        for (int j = i + 1; j < Math.min(i + 4, stream.length()); j++) {
          Link link = new Link(error(503, "", "PUT", "", 1, () -> 0.5));
          sendCut(link, stream, shape, i, j);
          String at = shape + " cut at " + i + ", " + j;
          assertThat(link.passed.toString()).as(at).isEqualTo(POST + GET
              + "HEAD /h HTTP/1.1\r\n\r\n");
          assertThat(link.answered()).as(at).startsWith("HTTP/1.1 503").hasLineCount(5);
          assertThat(link.dropped).as(at).isEqualTo(CHUNKED_PUT.length());
        }
      }
    }
  }

  @Test
  void responsesAreFramedAlikeAtEveryByteCutAndInEveryBufferShape() {
    // 100 Continue, a chunked answer, a HEAD's answer with a length and no body, a 204, then the
    // answer to the POST: cut after 4 of its body bytes.
    String chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5\r\nhello\r\n0\r\n\r\n";
    String headAnswer = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n";
    String noContent = "HTTP/1.1 204 No Content\r\n\r\n";
    String stream = "HTTP/1.1 100 Continue\r\n\r\n" + chunked + headAnswer + noContent + OK;
    String kept = stream.substring(0, stream.length() - 6);
    for (Shape shape : Shape.values()) {
      for (int i = 1; i < stream.length(); i++) {
        Link link = new Link(new HttpAbort(4, new HttpMatch("POST", "")));
        asked(link, GET + "HEAD /a HTTP/1.1\r\n\r\n" + OTHER + POST);
        sendCut(link, stream, shape, i);
        String at = shape + " cut at " + i;
        assertThat(link.passed.toString()).as(at).isEqualTo(kept);
        assertThat(link.signals).as(at).containsExactly(LinkSignal.RESET.toString());
        assertThat(link.dropped).as(at).isEqualTo(6);
      }
    }
  }

  @Test
  void bytesAfterASwitchToAnotherProtocolAreNotFramed() {
    String upgrade = "GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n";
    // After the 101 the bytes are WebSocket frames, even when they read like an HTTP answer.
    String stream = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"
        + "\u0081\u0005hello" + OK;
    for (int i = 1; i < stream.length(); i++) {
      Link link = new Link(new HttpAbort(0, new HttpMatch("", "")));
      asked(link, upgrade);
      sendCut(link, stream, Shape.HEAP_SLICE, i);
      assertThat(link.passed.toString()).as("cut at " + i).isEqualTo(stream);
      assertThat(link.signals).as("cut at " + i).isEmpty();
    }
  }

  @Test
  void aBrokenChunkedBodyLeavesTheStreamToPassUntouched() {
    // The chunk size "zz" is not hex: from there the stream is not HTTP and nothing is held.
    String broken = "PUT /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n";
    for (int size : new int[] {1, 5, 1000}) {
      Link link = new Link(error(503, "", "GET", "", 1, () -> 0.5)).send(broken + GET, size);
      assertThat(link.passed.toString()).as("chunks of " + size).isEqualTo(broken + GET);
      assertThat(link.answered()).as("chunks of " + size).isEmpty();
    }
  }

  @Test
  void aRequestLineUpTo16KibIsFramedAsCaptureFramesIt() {
    String longGet = "GET /" + "a".repeat(8 * 1024) + " HTTP/1.1\r\nHost: x\r\n\r\n";
    Link link = new Link(error()).send(longGet, 1000);
    assertThat(link.passed.toString()).isEmpty();
    assertThat(link.answered()).startsWith("HTTP/1.1 503");
    String tooLong = "GET /" + "a".repeat(17 * 1024) + " HTTP/1.1\r\nHost: x\r\n\r\n";
    Link inert = new Link(error()).send(tooLong, 1000);
    assertThat(inert.passed.toString()).isEqualTo(tooLong);
    assertThat(inert.answered()).isEmpty();
  }
}
