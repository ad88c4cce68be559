package dev.porthole.proxy.toxics;

import dev.porthole.http1.HttpHead;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Returns a toxic on the upstream stream that answers a {@code rate} of the HTTP requests matching
 * {@code method} and {@code path} itself, with {@code status} and {@code body}, without forwarding
 * them: the upstream never sees them. The answer has a Content-Length, so a keep-alive connection
 * goes on with its next request; a request that asked to close gets "Connection: close" and a FIN.
 */
public final class HttpError extends RequestToxic {
  /** Returns the "http_error" type: {"status", "body", "rate", "method", "path"}. */
  public static final ToxicType TYPE =
      BasicToxicType.builder("http_error")
          .attr("status", 503L, 200, 599)
          .attr("body", "")
          .attr("rate", 1.0, 0, 1)
          .httpFilter()
          .build(a -> new HttpError(
              (int) BasicToxicType.longAttr(a, "status"),
              BasicToxicType.stringAttr(a, "body"),
              HttpMatch.of(a),
              BasicToxicType.doubleAttr(a, "rate"),
              () -> ThreadLocalRandom.current().nextDouble()));

  private final HttpResponseStatus status;
  private final byte[] body;

  /** Returns an http_error toxic; {@code random} draws in [0, 1) per request. */
  HttpError(int status, String body, HttpMatch match, double rate, DoubleSupplier random) {
    super(match, rate, random);
    this.status = HttpResponseStatus.valueOf(status);
    this.body = body.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  void onFaultEnd(ChannelHandlerContext ctx, HttpHead request) {
    boolean keepAlive = request.keepAlive();
    String head = "HTTP/1.1 " + status.code() + " " + status.reasonPhrase() + "\r\n"
        + "Content-Type: text/plain; charset=utf-8\r\n"
        + "Content-Length: " + body.length + "\r\n"
        + (keepAlive ? "" : "Connection: close\r\n")
        + "X-Porthole-Toxic: http_error\r\n\r\n";
    ByteBuf answer = ctx.alloc().buffer(head.length() + body.length);
    answer.writeCharSequence(head, StandardCharsets.US_ASCII);
    answer.writeBytes(body);
    // The source of the upstream stream is the client's channel: this answers the client.
    var written = ctx.channel().writeAndFlush(answer);
    if (!keepAlive) {
      written.addListener((ChannelFutureListener) f ->
          ctx.fireUserEventTriggered(LinkSignal.CLOSE));
    }
  }
}
