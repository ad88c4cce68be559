package dev.porthole.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * Returns the handler that keeps what a client sends while the upstream dial is in progress.
 *
 * <p>With AUTO_READ off the epoll transport still reads when the peer half-closes (EPOLLRDHUP), so
 * a client that sends and shuts down before the dial completes would otherwise lose its bytes.
 * Once the link is wired, {@link #replay} sends everything through the link's pipeline in order.
 */
final class HeldInput extends ChannelInboundHandlerAdapter {
  static final String NAME = "held";

  // Made on first use: most clients send nothing before the dial completes.
  private List<Object> held;
  private Throwable failure;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    held().add(msg);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    held().add(new Event(evt));
  }

  private List<Object> held() {
    if (held == null) {
      held = new ArrayList<>();
    }
    return held;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    failure = cause;
  }

  /** Removes this handler and fires what it kept into {@code pipeline}, in arrival order. */
  void replay(ChannelPipeline pipeline) {
    List<Object> kept = held == null ? List.of() : held;
    held = null;
    pipeline.remove(this);
    for (Object o : kept) {
      if (o instanceof Event e) {
        pipeline.fireUserEventTriggered(e.evt());
      } else {
        pipeline.fireChannelRead(o);
      }
    }
    if (!kept.isEmpty()) {
      // Ends the replayed "read loop": the relay flushes what it wrote.
      pipeline.fireChannelReadComplete();
    }
    if (failure != null) {
      pipeline.fireExceptionCaught(failure);
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    // Removed without replay (the dial failed): nothing will read what was kept.
    if (held != null) {
      held.forEach(ReferenceCountUtil::release);
      held = null;
    }
  }

  private record Event(Object evt) {}
}
