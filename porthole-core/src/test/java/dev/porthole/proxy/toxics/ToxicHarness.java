package dev.porthole.proxy.toxics;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Returns one toxic in an EmbeddedChannel on a frozen virtual clock, with a recorder at the end of
 * the pipeline that keeps what the toxic passed on: chunks as text, then "EOF", "CLOSE", "RESET".
 */
final class ToxicHarness {
  final EmbeddedChannel channel;
  final List<String> out = new ArrayList<>();
  long dropped;

  ToxicHarness(Toxic toxic) {
    channel = new EmbeddedChannel();
    channel.freezeTime();
    channel.pipeline().addLast("toxic", toxic);
    channel.pipeline().addLast(new Recorder());
  }

  ToxicHarness send(String text) {
    channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
    return this;
  }

  ToxicHarness send(ByteBuf buf) {
    channel.writeInbound(buf);
    return this;
  }

  ToxicHarness eof() {
    channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
    channel.runPendingTasks();
    return this;
  }

  /** Advances the clock 1 ms at a time, so timers that re-arm themselves fire as in real time. */
  ToxicHarness advance(long ms) {
    for (long i = 0; i < ms; i++) {
      channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
      channel.runPendingTasks();
    }
    return this;
  }

  ToxicHarness advanceMicros(long us) {
    for (long i = 0; i < us; i++) {
      channel.advanceTimeBy(1, TimeUnit.MICROSECONDS);
      channel.runPendingTasks();
    }
    return this;
  }

  ToxicHarness remove() {
    channel.pipeline().remove("toxic");
    channel.runPendingTasks();
    return this;
  }

  /** Returns the total of the chunk lengths received. */
  int bytes() {
    return out.stream().filter(s -> !s.equals(s.toUpperCase()) || s.startsWith("#"))
        .mapToInt(s -> s.startsWith("#") ? Integer.parseInt(s.substring(1)) : s.length())
        .sum();
  }

  private final class Recorder extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf buf = (ByteBuf) msg;
      String text = buf.toString(StandardCharsets.US_ASCII);
      // Long binary chunks are recorded by size only.
      out.add(text.chars().allMatch(c -> c >= 'a' && c <= 'z') ? text : "#" + buf.readableBytes());
      buf.release();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt == ChannelInputShutdownEvent.INSTANCE) {
        out.add("EOF");
      } else if (evt instanceof LinkSignal.Close close) {
        out.add(close.reset() ? "RESET" : "CLOSE");
      } else if (evt instanceof LinkSignal.Dropped d) {
        dropped += d.bytes();
      }
    }
  }
}
