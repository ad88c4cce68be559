package dev.porthole.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;

/**
 * Returns the first handler of a link's source pipeline, which decides when the source is read.
 *
 * <p>The source is read (auto-read on) while the destination is writable (its outbound buffer is
 * under the high water mark) and the toxics hold fewer bytes than the link's limit; otherwise
 * reading stops until the relay writes or a toxic lets go. This is the backpressure: a slow
 * destination or a toxic holding data stops reads, and nothing is buffered without bound. Reading
 * in auto-read mode lets Netty read up to 16 chunks per wake-up and flush them in one write.
 */
final class LinkFlow extends ChannelInboundHandlerAdapter {
  /** Returns how far a link without delaying toxics may read ahead of its writes. */
  static final int DEFAULT_LIMIT = 256 * 1024;

  private Channel source;
  private Channel destination;
  private long held;
  private int limit = DEFAULT_LIMIT;
  private boolean reading;
  private boolean spliced;

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    source = ctx.channel();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    reading = true;
    if (msg instanceof ByteBuf buf) {
      held += buf.readableBytes();
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    reading = false;
    ctx.fireChannelReadComplete();
    update();
  }

  /** Returns whether a read loop is running, so the relay may flush once at its end. */
  boolean reading() {
    return reading;
  }

  /** Starts reading the source; its bytes go to {@code destination}. */
  void start(Channel destination) {
    this.destination = destination;
    update();
  }

  /** Returns bytes to the budget: handed to the destination or dropped by a toxic. */
  void done(int bytes) {
    held -= bytes;
    if (!reading) {
      update();
    }
  }

  /** Returns the bytes read and not yet handed on (a spliced link starts only at zero). */
  long held() {
    return held;
  }

  /** Hands the source's reads to a splice (Netty's own backpressure) or takes them back. */
  void spliced(boolean spliced) {
    this.spliced = spliced;
  }

  /** Sets how many bytes the toxics may hold (toxics that delay data raise it). */
  void limit(int limit) {
    this.limit = Math.max(DEFAULT_LIMIT, limit);
    update();
  }

  /** Turns reading on or off after the destination's writability or the budget changed. */
  void update() {
    if (spliced || destination == null || !source.isActive()) {
      return;
    }
    if (source instanceof DuplexChannel d && d.isInputShutdown()) {
      return;
    }
    boolean want = held < limit && destination.isWritable();
    if (want != source.config().isAutoRead()) {
      source.config().setAutoRead(want);
    }
  }
}
