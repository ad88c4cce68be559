package dev.porthole.proxy;

import dev.porthole.proxy.toxics.LinkSignal;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.util.ReferenceCountUtil;

/**
 * Returns the last handler of a link's source pipeline: it writes what the toxics pass on to the
 * destination and turns the end of the stream and the toxics' signals into half-closes, closes and
 * resets of the connection.
 */
final class Relay extends ChannelInboundHandlerAdapter {
  private final Connection connection;
  private final Direction direction;
  private final LinkFlow flow;

  Relay(Connection connection, Direction direction, LinkFlow flow) {
    this.connection = connection;
    this.direction = direction;
    this.flow = flow;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf buf)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    int n = buf.readableBytes();
    connection.splices().settle(direction);
    // Inside a read loop the flush waits for channelReadComplete: one write for many chunks.
    connection.write(direction, buf, !flow.reading());
    flow.done(n);
    connection.maybeSplice(direction);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    connection.flush(direction);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    // This channel is the destination of the other link: let that link read again (or stop).
    connection.writabilityChanged(direction);
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == ChannelInputShutdownEvent.INSTANCE) {
      if (!connection.splices().drainAfterSplice(direction)) {
        connection.inputEnded(direction);
      }
    } else if (evt == ChannelInputShutdownReadComplete.INSTANCE) {
      connection.splices().drained(direction);
    } else if (evt instanceof LinkSignal.Dropped dropped) {
      flow.done(dropped.bytes());
    } else if (evt instanceof LinkSignal.Close close) {
      connection.closeByToxic(close.reset());
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    connection.sourceInactive(direction);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    connection.failed(direction, cause);
  }
}
