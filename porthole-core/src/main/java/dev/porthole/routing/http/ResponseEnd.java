package dev.porthole.routing.http;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;

/**
 * What follows the last part of one response once the client's write of it completed: the exchange
 * hears the response is done and the upstream is read on (unless its connection went back to the
 * pool); after a {@code 101 Switching Protocols} both sides drop their HTTP codecs instead and
 * bytes flow untouched (WebSocket). A failed write closes the client, and the upstream unless
 * pooled.
 */
final class ResponseEnd implements ChannelFutureListener {
  private final ChannelHandlerContext upstream;
  private final Exchange client;
  private final boolean pooled;
  private final boolean upgrade;

  ResponseEnd(ChannelHandlerContext upstream, Exchange client, boolean pooled, boolean upgrade) {
    this.upstream = upstream;
    this.client = client;
    this.pooled = pooled;
    this.upgrade = upgrade;
  }

  @Override
  public void operationComplete(ChannelFuture done) {
    if (!done.isSuccess()) {
      client.close();
      if (!pooled) {
        upstream.close();
      }
    } else if (upgrade) {
      client.tunnel();
      upstream.pipeline().remove("http");
      upstream.read();
    } else {
      client.responseDone();
      if (!pooled) {
        upstream.read();
      }
    }
  }
}
