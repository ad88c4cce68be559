package dev.porthole.capture;

import dev.porthole.http1.Header;
import dev.porthole.http1.HttpFramer;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.function.Consumer;

/**
 * The oracle for {@link HttpFramer}: the decoding that capture used before it, Netty's own request
 * and response decoders in {@link EmbeddedChannel}s, paired as {@link HttpDecoding} pairs them.
 * Kept in the tests only, to compare the two field by field.
 */
final class NettyDecoding {
  private static final HttpDecoderConfig CONFIG =
      new HttpDecoderConfig()
          .setMaxInitialLineLength(HttpFramer.MAX_LINE)
          .setMaxHeaderSize(HttpFramer.MAX_HEADERS)
          .setMaxChunkSize(64 * 1024);

  private final int bodyLimit;
  private final Consumer<HttpExchange> done;
  private final Queue<String> methods = new ArrayDeque<>();
  private final ArrayDeque<Open> open = new ArrayDeque<>();
  private final EmbeddedChannel requests = new EmbeddedChannel(new HttpRequestDecoder(CONFIG));
  private final EmbeddedChannel responses = new EmbeddedChannel(new ResponseDecoder());
  private Open reading;
  private boolean interim;
  private String upgraded;

  NettyDecoding(int bodyLimit, Consumer<HttpExchange> done) {
    this.bodyLimit = bodyLimit;
    this.done = done;
  }

  /** One exchange being decoded. */
  private final class Open {
    final HttpRequest request;
    final long start;
    final Body requestBody = new Body(bodyLimit);
    final Body responseBody = new Body(bodyLimit);
    long sent = -1;
    long firstByte = -1;
    long end = -1;
    boolean continued;
    HttpResponse response;

    Open(HttpRequest request, long start) {
      this.request = request;
      this.start = start;
    }

    HttpExchange freeze() {
      List<Header> up = headers(request.headers());
      List<Header> down = response == null ? List.of() : headers(response.headers());
      return new HttpExchange(
          request.method().name(),
          request.uri(),
          request.protocolVersion().text(),
          up,
          requestBody.size(),
          requestBody.bytes(Header.first(up, "Content-Encoding")),
          response == null ? 0 : response.status().code(),
          response == null ? "" : response.status().reasonPhrase(),
          down,
          responseBody.size(),
          responseBody.bytes(Header.first(down, "Content-Encoding")),
          continued,
          start,
          sent,
          firstByte,
          end);
    }
  }

  /** Returns what the stream became after an exchange (as {@link HttpDecoding#upgraded}). */
  String upgraded() {
    return upgraded;
  }

  void feed(Side side, long micros, byte[] data) {
    EmbeddedChannel ch = side == Side.CLIENT ? requests : responses;
    ch.writeInbound(Unpooled.wrappedBuffer(data));
    drain(side, micros);
  }

  private void drain(Side side, long micros) {
    EmbeddedChannel ch = side == Side.CLIENT ? requests : responses;
    Object msg;
    while ((msg = ch.readInbound()) != null) {
      try {
        if (upgraded != null) {
          continue; // what follows an upgrade is not HTTP any more
        }
        if (msg instanceof DecoderResultProvider p && p.decoderResult().isFailure()) {
          throw new IllegalStateException(String.valueOf(p.decoderResult().cause()));
        }
        if (side == Side.CLIENT) {
          onRequest(msg, micros);
        } else {
          onResponse(msg, micros);
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }
  }

  private void onRequest(Object msg, long micros) {
    if (msg instanceof HttpRequest r) {
      reading = new Open(r, micros);
      open.add(reading);
      methods.add(r.method().name());
    }
    if (msg instanceof HttpContent c && reading != null) {
      reading.requestBody.add(c.content());
      if (msg instanceof LastHttpContent) {
        reading.sent = micros;
        reading = null;
      }
    }
  }

  private void onResponse(Object msg, long micros) {
    Open head = open.peekFirst();
    if (head == null) {
      throw new IllegalStateException("a response without a request");
    }
    if (msg instanceof HttpResponse r) {
      int code = r.status().code();
      if (head.firstByte < 0) {
        head.firstByte = micros;
      }
      interim = code >= 100 && code < 200 && code != 101;
      if (interim) {
        head.continued |= code == 100;
      } else {
        head.response = r;
      }
    }
    if (msg instanceof HttpContent c && !interim) {
      head.responseBody.add(c.content());
    }
    if (msg instanceof LastHttpContent) {
      if (interim) {
        interim = false;
        return;
      }
      head.end = micros;
      open.pollFirst();
      done.accept(head.freeze());
      int code = head.response.status().code();
      String method = head.request.method().name();
      if (code == 101) {
        upgraded = "upgraded";
      } else if ("CONNECT".equals(method) && code / 100 == 2) {
        upgraded = "http";
      }
    }
  }

  /** Ends decoding at {@code micros}, as {@link HttpDecoding#cut} does. */
  void cut(long micros) {
    try {
      responses.finish();
      drain(Side.SERVER, micros);
    } catch (Exception truncated) {
      // cut mid-way
    }
    while (!open.isEmpty()) {
      done.accept(open.pollFirst().freeze());
    }
    requests.finishAndReleaseAll();
    responses.finishAndReleaseAll();
  }

  private static List<Header> headers(HttpHeaders headers) {
    List<Header> out = new ArrayList<>(headers.size());
    for (Map.Entry<String, String> h : headers) {
      out.add(new Header(h.getKey(), h.getValue()));
    }
    return out;
  }

  /** The response decoder, told which request each response answers (as HttpClientCodec is). */
  private final class ResponseDecoder extends HttpResponseDecoder {
    ResponseDecoder() {
      super(CONFIG);
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage msg) {
      if (msg instanceof HttpResponse r) {
        int code = r.status().code();
        if (code >= 100 && code < 200 && code != 101) {
          return true;
        }
        String method = methods.poll();
        if ("HEAD".equals(method) || ("CONNECT".equals(method) && code / 100 == 2)) {
          return true;
        }
      }
      return super.isContentAlwaysEmpty(msg);
    }
  }
}
