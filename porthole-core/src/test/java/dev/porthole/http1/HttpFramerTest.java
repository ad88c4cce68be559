package dev.porthole.http1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The framer alone: what it reports for each message, however the bytes are cut. */
class HttpFramerTest {
  /** Writes down what a framer reports, body bytes joined, as one line per event. */
  private static final class Transcript implements HttpFramer.Messages {
    final List<String> events = new ArrayList<>();
    final StringBuilder body = new StringBuilder();
    boolean stopAfterEnd;

    @Override
    public boolean bodiless(HttpHead head) {
      return head.bodilessStatus();
    }

    @Override
    public void head(HttpHead h) {
      events.add(
          (h.method() != null ? h.method() + " " + h.target() : h.status() + " " + h.reason())
              + " "
              + h.version()
              + " "
              + h.headers());
    }

    @Override
    public void content(byte[] b, int offset, int n) {
      body.append(new String(b, offset, n, StandardCharsets.ISO_8859_1));
    }

    @Override
    public void skipped(long n) {
      body.append("<").append(n).append(" unseen>");
    }

    @Override
    public boolean end() {
      events.add("body " + body);
      body.setLength(0);
      events.add("end");
      return !stopAfterEnd;
    }

    @Override
    public void upgraded(byte[] b, int offset, int n) {
      events.add("after " + new String(b, offset, n, StandardCharsets.ISO_8859_1));
    }
  }

  private static final String PIPELINED =
      "\r\nGET /a HTTP/1.1\r\nHost: x\r\nX-Long: a\r\n  b\r\n\r\n"
          + "POST /b?q=1 HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"
          + "PUT /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "3;name=\"v\"\r\nabc\r\nA\r\n0123456789\r\n0\r\nX-Sum: 7\r\n\r\n"
          + "DELETE /d HTTP/1.0\r\n\r\n";

  private static List<String> frame(boolean request, String text, int... cuts) {
    Transcript t = new Transcript();
    HttpFramer f = new HttpFramer(request, t);
    byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
    int at = 0;
    for (int cut : cuts) {
      f.feed(b, at, cut - at);
      at = cut;
    }
    f.feed(b, at, b.length - at);
    f.close();
    return t.events;
  }

  @Test
  void pipelinedRequestsAreFramedOneByOne() {
    assertThat(frame(true, PIPELINED))
        .containsExactly(
            "GET /a HTTP/1.1 [Header[name=Host, value=x], Header[name=X-Long, value=a b]]",
            "body ",
            "end",
            "POST /b?q=1 HTTP/1.1 [Header[name=Content-Length, value=5]]",
            "body hello",
            "end",
            "PUT /c HTTP/1.1 [Header[name=Transfer-Encoding, value=chunked]]",
            "body abc0123456789",
            "end",
            "DELETE /d HTTP/1.0 []",
            "body ",
            "end");
  }

  @Test
  void everyCutOfTheBytesFramesTheSame() {
    List<String> whole = frame(true, PIPELINED);
    for (int cut = 1; cut < PIPELINED.length(); cut++) {
      assertThat(frame(true, PIPELINED, cut)).as("cut at %d", cut).isEqualTo(whole);
    }
    int[] everyByte = new int[PIPELINED.length() - 1];
    for (int i = 0; i < everyByte.length; i++) {
      everyByte[i] = i + 1;
    }
    assertThat(frame(true, PIPELINED, everyByte)).as("byte by byte").isEqualTo(whole);
  }

  @Test
  void responsesWithoutALengthRunToTheCloseAndBodilessOnesEndAtTheirHead() {
    String text =
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"
            + "HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n"
            + "HTTP/1.0 200 OK\r\n\r\nuntil close";
    assertThat(frame(false, text, 7, 40, 60))
        .containsExactly(
            "100 Continue HTTP/1.1 []",
            "body ",
            "end",
            "204 No Content HTTP/1.1 []",
            "body ",
            "end",
            "304 Not Modified HTTP/1.1 [Header[name=Content-Length, value=99]]",
            "body ",
            "end",
            "200 OK HTTP/1.0 []",
            "body until close",
            "end");
  }

  @Test
  void theRestOfABodyMayGoByUnseenAndTheNextMessageIsFramedAfterIt() {
    Transcript t = new Transcript();
    HttpFramer f = new HttpFramer(true, t);
    byte[] head =
        "POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nab".getBytes(StandardCharsets.US_ASCII);
    f.feed(head, 0, head.length);
    assertThat(f.bodyRemaining()).isEqualTo(8);
    f.skip(8);
    assertThat(f.bodyRemaining()).isEqualTo(-1);
    byte[] next = "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    f.feed(next, 0, next.length);
    assertThat(t.events).contains("body ab<8 unseen>").hasSize(6);
    assertThatThrownBy(() -> f.skip(1)).hasMessage("bytes went by unseen outside a body");
  }

  @Test
  void bytesAfterAnUpgradeAreHandedOnUnframed() {
    Transcript t = new Transcript();
    t.stopAfterEnd = true;
    HttpFramer f = new HttpFramer(false, t);
    byte[] b =
        ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                + "Sec-WebSocket-Accept: x\r\n\r\n\u0081\u0002hi")
            .getBytes(StandardCharsets.ISO_8859_1);
    f.feed(b, 0, b.length);
    assertThat(t.events.getLast()).isEqualTo("after \u0081\u0002hi");
  }

  @Test
  void garbageAndBrokenFramingSayWhy() {
    assertThatThrownBy(() -> frame(true, "GET / HTTP/1.1\r\nno colon\r\n\r\n"))
        .hasMessage("a header line without a colon");
    assertThatThrownBy(() -> frame(true, "GET / HTTP/1.1\nHost: x\n\n"))
        .hasMessage("a line not ended by CRLF");
    assertThatThrownBy(() -> frame(true, "GET / HTTP/9\r\n\r\n")).hasMessage("bad version: HTTP/9");
    assertThatThrownBy(() -> frame(true, "\u0001GET / HTTP/1.1\r\n\r\n"))
        .hasMessage("control byte 0x1 before a start line");
    assertThatThrownBy(
            () -> frame(true, "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"))
        .hasMessage("more than one Content-Length");
    assertThatThrownBy(
            () -> frame(true, "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"))
        .hasMessage("bad chunk size");
    assertThatThrownBy(
            () -> frame(true, "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\naXY"))
        .hasMessage("a chunk not followed by CRLF");
    assertThatThrownBy(() -> frame(false, "HTTP/1.1 2x0 OK\r\n\r\n")).hasMessage("bad status: 2x0");
  }

  @Test
  void aLongLineCutAcrossCopiesIsJoinedAndTheNextHeadFramesAfterIt() {
    String big = "x".repeat(5000);
    String text = "GET /a HTTP/1.1\r\nX-Big: " + big + "\r\n\r\nGET /b HTTP/1.1\r\nHost: y\r\n\r\n";
    assertThat(frame(true, text, 100, 3000, 5020, 5026))
        .containsExactly(
            "GET /a HTTP/1.1 [Header[name=X-Big, value=" + big + "]]",
            "body ",
            "end",
            "GET /b HTTP/1.1 [Header[name=Host, value=y]]",
            "body ",
            "end");
  }

  @Test
  void anOversizedHeadIsRefusedWhileItArrives() {
    Transcript t = new Transcript();
    HttpFramer f = new HttpFramer(true, t);
    byte[] start = "GET / HTTP/1.1\r\nX: ".getBytes(StandardCharsets.US_ASCII);
    f.feed(start, 0, start.length);
    byte[] filler = new byte[HttpFramer.MAX_HEADERS / 4];
    java.util.Arrays.fill(filler, (byte) 'a');
    for (int i = 0; i < 4; i++) {
      // "X: " and then 64 KiB less 3 bytes of its value, no LF yet: still a head
      f.feed(filler, 0, filler.length - (i == 3 ? 3 : 0));
    }
    assertThatThrownBy(() -> f.feed(filler, 0, 10))
        .hasMessage("headers longer than " + HttpFramer.MAX_HEADERS + " bytes");
    assertThat(t.events).isEmpty();
  }
}
