package dev.porthole.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;

/**
 * Returns the first handler of a link's source pipeline: it counts the bytes read but not yet
 * written to the destination, and asks for the next read only while that count is under the
 * link's limit. This is the backpressure: a slow destination or a toxic holding data stops reads.
 */
final class LinkFlow extends ChannelInboundHandlerAdapter {
  /** Returns how far a link without buffering toxics reads ahead of its writes. */
  static final int DEFAULT_LIMIT = 256 * 1024;

  private Channel channel;
  private long inflight;
  private int limit = DEFAULT_LIMIT;
  private boolean started;

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf buf) {
      inflight += buf.readableBytes();
    }
    ctx.fireChannelRead(msg);
    maybeRead();
  }

  /** Starts reading the source. */
  void start() {
    started = true;
    maybeRead();
  }

  /** Returns {@code bytes} to the budget: written to the destination or dropped by a toxic. */
  void done(int bytes) {
    inflight -= bytes;
    maybeRead();
  }

  /** Sets how many unwritten bytes the link may hold (toxics that delay data raise it). */
  void limit(int limit) {
    this.limit = Math.max(DEFAULT_LIMIT, limit);
    maybeRead();
  }

  private void maybeRead() {
    if (started
        && inflight < limit
        && channel.isActive()
        && !(channel instanceof DuplexChannel d && d.isInputShutdown())) {
      channel.read();
    }
  }
}
