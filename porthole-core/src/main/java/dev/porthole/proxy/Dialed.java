package dev.porthole.proxy;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Returns the placeholder handler of a dialer's new channels. A Bootstrap needs a handler; a
 * ChannelInitializer per dial would cost a map and a clone of the bootstrap per connection, so the
 * connection removes this shared one and wires its links itself (see {@code Connection.dial}).
 */
@ChannelHandler.Sharable
final class Dialed extends ChannelInboundHandlerAdapter {
  static final Dialed PLACEHOLDER = new Dialed();

  private Dialed() {}
}
