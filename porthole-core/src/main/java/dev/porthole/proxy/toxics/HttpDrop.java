package dev.porthole.proxy.toxics;

import dev.porthole.http1.HttpHead;
import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Returns a toxic on the upstream stream that, for a {@code rate} of the HTTP requests matching
 * {@code method} and {@code path}, closes the connection without an answer as soon as the
 * request's head is read. The request is not forwarded; answers already sent still arrive.
 */
public final class HttpDrop extends RequestToxic {
  /** Returns the "http_drop" type: {"rate", "method", "path"}. */
  public static final ToxicType TYPE =
      BasicToxicType.builder("http_drop")
          .attr("rate", 1.0, 0, 1)
          .httpFilter()
          .build(a -> new HttpDrop(
              HttpMatch.of(a),
              BasicToxicType.doubleAttr(a, "rate"),
              () -> ThreadLocalRandom.current().nextDouble()));

  /** Returns an http_drop toxic; {@code random} draws in [0, 1) per request. */
  HttpDrop(HttpMatch match, double rate, DoubleSupplier random) {
    super(match, rate, random);
  }

  @Override
  void onFaultHead(ChannelHandlerContext ctx, HttpHead request) {
    ctx.fireUserEventTriggered(LinkSignal.CLOSE);
  }
}
