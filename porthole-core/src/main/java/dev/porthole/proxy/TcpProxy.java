package dev.porthole.proxy;

import dev.porthole.capture.Recorder;
import dev.porthole.capture.Tap;
import dev.porthole.proxy.toxics.SharedState;
import dev.porthole.sockets.Protocol;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ReflectiveChannelFactory;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/** Returns a listening TCP proxy: accepts clients and dials the upstream for each. */
final class TcpProxy implements RunningProxy {
  // Reads of up to 128 KiB and a 512 KiB outbound buffer per socket: fewer syscalls per byte.
  private static final AdaptiveRecvByteBufAllocator RECEIVE =
      new AdaptiveRecvByteBufAllocator(2048, 16 * 1024, 128 * 1024);
  private static final WriteBufferWaterMark WATER_MARK =
      new WriteBufferWaterMark(256 * 1024, 512 * 1024);

  private final ProxyOptions options;
  private final ConnectionListener listener;
  private final Recorder recorder;
  private final Bootstrap dialer;
  // The upstream parsed once (an IP literal resolved; a host name stays unresolved, so Netty
  // resolves it per connection), and one dialer per event loop: nothing of either per connection.
  private final InetSocketAddress upstreamAddress;
  private final Map<EventLoop, Bootstrap> dialers = new ConcurrentHashMap<>();
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final LongAdder bytesUp = new LongAdder();
  private final LongAdder bytesDown = new LongAdder();
  private final LongAdder bodySplices = new LongAdder();
  private final AtomicLong total = new AtomicLong();
  private final AtomicInteger open = new AtomicInteger();
  private final Runnable onClose;
  private final LoopGuard loops;
  private final Map<String, SharedState> shared = new ConcurrentHashMap<>();
  private final Function<ToxicSpec, SharedState> sharedStates = this::shared;
  private volatile List<ToxicSpec> toxics = List.of();
  private Channel listenChannel;
  private io.netty.channel.ChannelFactory<Channel> upstreamChannels;

  TcpProxy(
      ProxyOptions options,
      ConnectionListener listener,
      Recorder recorder,
      Runnable onClose,
      LoopGuard loops) {
    this.options = options;
    this.loops = loops;
    this.listener = listener;
    this.recorder = recorder;
    this.onClose = onClose;
    this.dialer = new Bootstrap();
    this.upstreamAddress = options.upstreamAddress();
  }

  /** Binds the listener now; throws BindException when the address is in use. */
  void bind(Transport transport, EventLoopGroup group) throws IOException {
    // The options set by the factory, not the Bootstrap: it copies its option map per connect.
    ReflectiveChannelFactory<? extends Channel> channels =
        new ReflectiveChannelFactory<>(transport.socketChannel());
    int connectTimeout = (int) options.connectTimeout().toMillis();
    upstreamChannels =
            () -> {
              Channel ch = channels.newChannel();
              ChannelConfig config = ch.config();
              config.setAutoRead(false);
              config.setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
              config.setOption(ChannelOption.TCP_NODELAY, true);
              config.setRecvByteBufAllocator(RECEIVE);
              config.setWriteBufferWaterMark(WATER_MARK);
              config.setConnectTimeoutMillis(connectTimeout);
              return ch;
            };
    dialer.channelFactory(upstreamChannels);
    ServerBootstrap server =
        new ServerBootstrap()
            .group(group)
            .channel(transport.serverChannel())
            .option(ChannelOption.SO_REUSEADDR, true)
            .option(ChannelOption.SO_BACKLOG, 4096)
            .childOption(ChannelOption.AUTO_READ, false)
            .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.RCVBUF_ALLOCATOR, RECEIVE)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    accept(ch);
                  }
                });
    ChannelFuture bound = server.bind(options.listen()).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      throw ErrorText.bindError(options.listen(), bound.cause());
    }
    listenChannel = bound.channel();
  }

  private void accept(Channel ch) {
    Connection connection = new Connection(this, total.incrementAndGet(), ch);
    connections.add(connection);
    open.incrementAndGet();
    if (loops.accepted(ch.remoteAddress(), ch.localAddress(), connection)) {
      connection.cutLoop();
      return;
    }
    // If one of our dials to this port is in flight, this client may be its socket, not yet
    // recorded: dial on only once that is known (a loop's hop is then cut here, not one later).
    int port = ((InetSocketAddress) ch.localAddress()).getPort();
    loops
        .dials()
        .afterDials(
            port,
            ch.eventLoop(),
            () -> {
              if (connections.contains(connection)) { // not cut as a loop meanwhile
                connection.start(dialer(ch.eventLoop()), upstreamAddress);
              }
            });
  }

  /** Returns the dialer of {@code loop}: its channels start with only a placeholder handler. */
  private Bootstrap dialer(EventLoop loop) {
    return dialers.computeIfAbsent(
        loop, l -> dialer.clone().group(l).handler(Dialed.PLACEHOLDER));
  }

  /** Returns a new, unregistered upstream channel with the dialer's options set. */
  Channel newUpstreamChannel() {
    return upstreamChannels.newChannel();
  }

  LoopGuard loops() {
    return loops;
  }

  void closed(Connection connection) {
    if (connections.remove(connection)) {
      open.decrementAndGet();
      if (connection.opened() && listener != ConnectionListener.NONE) {
        listener.closed(connection.summary());
      }
    }
  }

  /** Returns the recording tap of connection {@code id} from {@code client}. */
  Tap tap(long id, InetSocketAddress client) {
    return recorder.open(options.name(), id, "tcp", client, localAddress(), options.upstream());
  }

  void counted(Direction direction, int n) {
    (direction == Direction.UPSTREAM ? bytesUp : bytesDown).add(n);
  }

  String upstream() {
    return options.upstream();
  }

  String name() {
    return options.name();
  }

  Protocol protocol() {
    return options.protocol();
  }

  /** Returns the state toxic {@code spec} shares across this proxy's connections. */
  SharedState shared(ToxicSpec spec) {
    return shared.computeIfAbsent(
        spec.name() + "/" + spec.direction().label(), k -> new SharedState());
  }

  /** Returns {@link #shared} as a function (one object, not a method reference per link). */
  Function<ToxicSpec, SharedState> sharedStates() {
    return sharedStates;
  }

  ConnectionListener listener() {
    return listener;
  }

  List<ToxicSpec> currentToxics() {
    return toxics;
  }

  @Override
  public InetSocketAddress localAddress() {
    return (InetSocketAddress) listenChannel.localAddress();
  }

  @Override
  public void toxics(List<ToxicSpec> toxics) {
    for (ToxicSpec spec : toxics) {
      ToxicChain.type(spec, options.protocol());
    }
    List<ToxicSpec> copy = List.copyOf(toxics);
    this.toxics = copy;
    shared.keySet().removeIf(key -> copy.stream()
        .noneMatch(t -> key.equals(t.name() + "/" + t.direction().label())));
    List<Future<?>> applied = new ArrayList<>();
    for (Connection c : connections) {
      EventLoop loop = c.eventLoopChannel().eventLoop();
      if (loop.inEventLoop()) {
        c.applyToxics(copy);
      } else {
        applied.add(loop.submit(() -> c.applyToxics(copy)));
      }
    }
    // Returns once live connections have the new list, so bytes sent after this call meet it.
    for (Future<?> f : applied) {
      f.awaitUninterruptibly(2_000);
    }
  }

  void bodySpliceStarted() {
    bodySplices.increment();
  }

  /** Returns how many bounded splices (the rest of a decoded HTTP body) started (tests). */
  long bodySplices() {
    return bodySplices.sum();
  }

  /** Returns how many links of live connections are spliced now (tests). */
  int splicedLinks() {
    int n = 0;
    for (Connection c : connections) {
      n += (c.splicing(Direction.UPSTREAM) ? 1 : 0) + (c.splicing(Direction.DOWNSTREAM) ? 1 : 0);
    }
    return n;
  }

  @Override
  public ProxyStats stats() {
    return new ProxyStats(bytesUp.sum(), bytesDown.sum(), total.get(), open.get());
  }

  @Override
  public void closeConnections() {
    for (Connection c : connections) {
      c.eventLoopChannel().eventLoop().execute(() -> c.close(false));
    }
  }

  @Override
  public void close() {
    if (listenChannel != null) {
      listenChannel.close().awaitUninterruptibly();
    }
    for (Connection c : connections) {
      c.eventLoopChannel().close();
    }
    onClose.run();
  }
}
