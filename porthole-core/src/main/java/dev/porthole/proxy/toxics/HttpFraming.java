package dev.porthole.proxy.toxics;

import dev.porthole.http1.HttpFramer;
import dev.porthole.http1.HttpHead;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Returns where the HTTP/1.x messages of one direction of a connection begin and end, found by
 * porthole's own framer ({@link HttpFramer}, the one capture uses), so the HTTP toxics never parse
 * HTTP by hand and never change a byte: they are told where each head and each message ends within
 * the chunk they hold, and cut the chunk there.
 *
 * <p>The framer reads the chunk in place (a heap chunk's own array, else a copy in the event
 * loop's scratch array) and says, for each head and each end, where in the chunk it fell. Once
 * the first bytes do not start an HTTP/1.x message, or the framer finds one invalid, the stream
 * is "not HTTP" for good and no marks follow.
 */
final class HttpFraming {
  /**
   * Returns one position in the chunk just fed: after a message's head ({@code head} non-null)
   * or after its last byte ({@code head} null). For a response head, {@code request} is the
   * request it answers when the framing saw it ({@link #sent}), else null.
   */
  record Mark(int offset, HttpHead head, HttpHead request) {
    boolean isEnd() {
      return head == null;
    }
  }

  // The largest scratch array a thread keeps for direct chunks; a bigger chunk gets its own copy.
  private static final int KEPT_SCRATCH = 64 * 1024;
  // The framer keeps no reference to the array it is fed, so one per event loop serves them all.
  private static final FastThreadLocal<byte[]> SCRATCH =
      new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
          return new byte[KEPT_SCRATCH];
        }
      };

  private final boolean requests;
  private final HttpFramer framer;
  private final List<Mark> marks = new ArrayList<>();
  private final ArrayDeque<HttpHead> asked = new ArrayDeque<>();
  private HttpFraming sent;
  private final StringBuilder start = new StringBuilder();
  // Where the chunk being fed starts in the array the framer reads.
  private int base;
  // The last head framed: a 101 to another protocol ends the HTTP part of the stream.
  private HttpHead last;
  private boolean sniffed;
  private boolean notHttp;

  private HttpFraming(boolean requests) {
    this.requests = requests;
    this.framer = new HttpFramer(requests, new Messages());
  }

  /** Returns framing for a client's requests (the upstream stream). */
  static HttpFraming requests() {
    return new HttpFraming(true);
  }

  /** Returns framing for a server's responses (the downstream stream). */
  static HttpFraming responses() {
    return new HttpFraming(false);
  }

  /** Returns whether the stream turned out not to be HTTP/1.x (the toxic is inert from then). */
  boolean notHttp() {
    return notHttp;
  }

  /** Frames {@code chunk} (not consumed, not released) and returns its marks in order. */
  List<Mark> feed(ByteBuf chunk) {
    marks.clear();
    if (!notHttp && sniff(chunk)) {
      frame(chunk);
    }
    if (notHttp) {
      marks.clear();
    }
    return List.copyOf(marks);
  }

  private void frame(ByteBuf chunk) {
    int n = chunk.readableBytes();
    byte[] b;
    if (chunk.hasArray()) {
      b = chunk.array();
      base = chunk.arrayOffset() + chunk.readerIndex();
    } else {
      b = n <= KEPT_SCRATCH ? SCRATCH.get() : new byte[n];
      base = 0;
      chunk.getBytes(chunk.readerIndex(), b, 0, n);
    }
    try {
      framer.feed(b, base, n);
    } catch (IllegalStateException broken) {
      // Netty's decoder said the same with a failed message: the stream is not HTTP/1.x.
      notHttp = true;
    }
  }

  /**
   * Notes request bytes written to the server on this connection, so each response head is paired
   * with its request (for method and path filters, and so a HEAD's answer has no body).
   */
  void sent(Object written) {
    if (!(written instanceof ByteBuf requestBytes) || notHttp()) {
      return;
    }
    if (sent == null) {
      sent = requests();
    }
    for (Mark mark : sent.feed(requestBytes)) {
      if (!mark.isEnd()) {
        asked.add(mark.head());
      }
    }
  }

  /** Returns the oldest request seen (by {@link #sent}) and not yet answered, or null. */
  HttpHead nextRequest() {
    return asked.peek();
  }

  /** Checks the first bytes: a method token and a space, or "HTTP/1."; false while unsure. */
  private boolean sniff(ByteBuf chunk) {
    for (int i = chunk.readerIndex(); !sniffed && i < chunk.writerIndex(); i++) {
      start.append((char) (chunk.getByte(i) & 0xff));
      String s = start.toString();
      if (requests) {
        char c = s.charAt(s.length() - 1);
        sniffed = c == ' ' && s.length() > 1;
        notHttp = !sniffed && (s.length() > 20 || !(c >= 'A' && c <= 'Z' || c == '-'));
      } else {
        sniffed = s.length() == 7 && s.equals("HTTP/1.");
        notHttp = !"HTTP/1.".startsWith(s);
      }
      if (notHttp) {
        return false;
      }
    }
    return true;
  }

  private int offset() {
    return framer.eventEnd() - base;
  }

  /** The framer's events, as marks: a head (with its request) and an end. */
  private final class Messages implements HttpFramer.Messages {
    @Override
    public boolean bodiless(HttpHead response) {
      // As Netty's HttpResponseDecoder with the request known: a HEAD's answer, 1xx, 204, 304.
      HttpHead request = asked.peek();
      return request != null && "HEAD".equals(request.method()) || response.bodilessStatus();
    }

    @Override
    public void head(HttpHead head) {
      if (!head.version().startsWith("HTTP/1.")) {
        throw new IllegalStateException("not HTTP/1.x: " + head.version());
      }
      last = head;
      marks.add(new Mark(offset(), head, requestOf(head)));
    }

    @Override
    public void content(byte[] b, int offset, int n) {}

    @Override
    public void skipped(long n) {}

    @Override
    public boolean end() {
      marks.add(new Mark(offset(), null, null));
      return !switchesProtocol();
    }

    @Override
    public void upgraded(byte[] b, int offset, int n) {}
  }

  /**
   * Returns whether the message that just ended is a 101 to something other than HTTP/1.x: from
   * there the bytes are the new protocol's and no marks follow (Netty's decoder says UPGRADED).
   */
  private boolean switchesProtocol() {
    if (requests || last.status() != 101) {
      return false;
    }
    String protocol = last.header("Upgrade");
    return protocol == null || !protocol.contains("HTTP/1.0") && !protocol.contains("HTTP/1.1");
  }

  private HttpHead requestOf(HttpHead head) {
    if (requests) {
      return null;
    }
    // An interim 1xx answer (100 Continue) is followed by the final answer to the same request.
    int code = head.status();
    boolean interim = code >= 100 && code < 200 && code != 101;
    return interim ? asked.peek() : asked.poll();
  }
}
