package dev.porthole.proxy.toxics;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Returns where the HTTP/1.x messages of one direction of a connection begin and end, found by
 * Netty's HTTP decoder in a side {@link EmbeddedChannel}, so the HTTP toxics never parse HTTP by
 * hand and never change a byte: they are told where each head and each message ends within the
 * chunk they hold, and cut the chunk there.
 *
 * <p>The decoder's objects are thrown away; only the byte positions at which it produced them
 * matter. Netty's decoder ends at most one message per {@code decode} call, so the reader index
 * after the call is that message's end. Once the first bytes do not start an HTTP/1.x message,
 * or the decoder finds one invalid, the stream is "not HTTP" for good and no marks follow.
 */
final class HttpFraming {
  /**
   * Returns one position in the chunk just fed: after a message's head ({@code head} non-null)
   * or after its last byte ({@code head} null). For a response head, {@code request} is the
   * request it answers when the framing saw it ({@link #sent}), else null.
   */
  record Mark(int offset, HttpMessage head, HttpMessage request) {
    boolean isEnd() {
      return head == null;
    }
  }

  private final boolean requests;
  private final EmbeddedChannel decoder;
  private final List<Mark> marks = new ArrayList<>();
  private final ArrayDeque<HttpMessage> asked = new ArrayDeque<>();
  private HttpFraming sent;
  private final StringBuilder start = new StringBuilder();
  private long fed;
  private long consumed;
  private boolean sniffed;
  private boolean notHttp;

  private HttpFraming(boolean requests) {
    this.requests = requests;
    this.decoder =
        new EmbeddedChannel(requests ? new RequestDecoder(this) : new ResponseDecoder(this));
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

  /** Decodes {@code chunk} (not consumed, not released) and returns its marks in order. */
  List<Mark> feed(ByteBuf chunk) {
    marks.clear();
    if (!notHttp && sniff(chunk)) {
      decoder.writeInbound(chunk.retainedDuplicate());
      decoder.releaseInbound();
    }
    fed += chunk.readableBytes();
    if (notHttp) {
      marks.clear();
      close();
    }
    return List.copyOf(marks);
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
  HttpMessage nextRequest() {
    return asked.peek();
  }

  /** Releases the side channels. */
  void close() {
    decoder.finishAndReleaseAll();
    if (sent != null) {
      sent.close();
    }
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

  private void decoded(int bytes, List<Object> out) {
    consumed += bytes;
    int offset = (int) (consumed - fed);
    for (Object o : out) {
      if (o instanceof HttpMessage m) {
        if (m.decoderResult().isFailure() || m.protocolVersion().majorVersion() != 1) {
          notHttp = true;
          return;
        }
        marks.add(new Mark(offset, m, requestOf(m)));
      }
      if (o instanceof LastHttpContent) {
        marks.add(new Mark(offset, null, null));
      }
    }
  }

  private HttpMessage requestOf(HttpMessage head) {
    if (!(head instanceof HttpResponse response)) {
      return null;
    }
    // An interim 1xx answer (100 Continue) is followed by the final answer to the same request.
    boolean interim = response.status().codeClass() == HttpStatusClass.INFORMATIONAL
        && response.status().code() != 101;
    return interim ? asked.peek() : asked.poll();
  }

  private static final class RequestDecoder extends HttpRequestDecoder {
    private final HttpFraming framing;

    RequestDecoder(HttpFraming framing) {
      this.framing = framing;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out)
        throws Exception {
      int before = in.readerIndex();
      int size = out.size();
      super.decode(ctx, in, out);
      framing.decoded(in.readerIndex() - before, out.subList(size, out.size()));
    }
  }

  private static final class ResponseDecoder extends HttpResponseDecoder {
    private final HttpFraming framing;

    ResponseDecoder(HttpFraming framing) {
      this.framing = framing;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out)
        throws Exception {
      int before = in.readerIndex();
      int size = out.size();
      super.decode(ctx, in, out);
      framing.decoded(in.readerIndex() - before, out.subList(size, out.size()));
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage msg) {
      HttpMessage request = framing.asked.peek();
      return request instanceof HttpRequest r && r.method().equals(HttpMethod.HEAD)
          || super.isContentAlwaysEmpty(msg);
    }
  }
}
