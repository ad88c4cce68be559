package dev.porthole.proxy;

import dev.porthole.proxy.timing.EarlyWakeIoHandler;
import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/** Returns the channel classes of the native epoll transport on Linux, NIO elsewhere. */
record Transport(
    String name,
    IoHandlerFactory ioHandlers,
    Class<? extends io.netty.channel.ServerChannel> serverChannel,
    Class<? extends Channel> socketChannel,
    Class<? extends Channel> datagramChannel) {

  /** Returns epoll when it is available and not disabled by -Dporthole.proxy.nio=true. */
  static Transport best() {
    if (Epoll.isAvailable() && !Boolean.getBoolean("porthole.proxy.nio")) {
      return new Transport(
          "epoll",
          EarlyWakeIoHandler.wrap(EpollIoHandler.newFactory()),
          EpollServerSocketChannel.class,
          EpollSocketChannel.class,
          EpollDatagramChannel.class);
    }
    return nio();
  }

  /** Returns the NIO transport, which works everywhere. */
  static Transport nio() {
    return new Transport(
        "nio",
        EarlyWakeIoHandler.wrap(NioIoHandler.newFactory()),
        NioServerSocketChannel.class,
        NioSocketChannel.class,
        NioDatagramChannel.class);
  }

  MultiThreadIoEventLoopGroup newGroup(int threads) {
    return new MultiThreadIoEventLoopGroup(threads, ioHandlers);
  }

  /** Returns a group whose threads, named {@code prefix-N}, do not keep the JVM alive. */
  MultiThreadIoEventLoopGroup newDaemonGroup(int threads, String prefix) {
    return new MultiThreadIoEventLoopGroup(
        threads, new io.netty.util.concurrent.DefaultThreadFactory(prefix, true), ioHandlers);
  }
}
