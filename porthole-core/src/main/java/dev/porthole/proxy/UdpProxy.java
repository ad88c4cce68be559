package dev.porthole.proxy;

import dev.porthole.capture.EndReason;
import dev.porthole.capture.Recorder;
import dev.porthole.capture.Side;
import dev.porthole.capture.Tap;
import dev.porthole.proxy.toxics.SharedState;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Returns a UDP proxy: each client address gets its own session, a socket connected to the
 * upstream, so replies find their way back. Sessions expire after a minute without datagrams.
 */
final class UdpProxy implements RunningProxy {
  /** Returns how long a session lives without datagrams in either direction. */
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

  private final ProxyOptions options;
  private final ConnectionListener listener;
  private final Recorder recorder;
  private final Runnable onClose;
  private final Map<InetSocketAddress, Session> sessions = new ConcurrentHashMap<>();
  private final Map<String, SharedState> shared = new ConcurrentHashMap<>();
  private final LongAdder bytesUp = new LongAdder();
  private final LongAdder bytesDown = new LongAdder();
  private final AtomicLong total = new AtomicLong();
  private volatile List<ToxicSpec> toxics = List.of();
  private volatile long idleNanos = IDLE_TIMEOUT.toNanos();
  private Transport transport;
  private Channel listenChannel;

  UdpProxy(
      ProxyOptions options, ConnectionListener listener, Recorder recorder, Runnable onClose) {
    this.options = options;
    this.listener = listener;
    this.recorder = recorder;
    this.onClose = onClose;
  }

  void bind(Transport transport, EventLoopGroup group) throws IOException {
    this.transport = transport;
    ChannelFuture bound =
        new Bootstrap()
            .group(group)
            .channel(transport.datagramChannel())
            .handler(new FromClients())
            .bind(options.listen())
            .awaitUninterruptibly();
    if (!bound.isSuccess()) {
      throw ErrorText.bindError(options.listen(), bound.cause());
    }
    listenChannel = bound.channel();
    long period = Math.max(10, Math.min(1000, TimeUnit.NANOSECONDS.toMillis(idleNanos) / 4));
    listenChannel.eventLoop()
        .scheduleAtFixedRate(this::expire, period, period, TimeUnit.MILLISECONDS);
  }

  /** Sets the idle timeout of sessions (tests use a short one). */
  void idleTimeout(Duration timeout) {
    idleNanos = timeout.toNanos();
  }

  private void expire() {
    long now = System.nanoTime();
    for (Session s : sessions.values()) {
      if (now - s.lastActive > idleNanos) {
        s.close("idle");
      }
    }
  }

  private final class FromClients extends SimpleChannelInboundHandler<DatagramPacket> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
      sessions.computeIfAbsent(packet.sender(), Session::new).toUpstream(packet.content());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // ICMP port unreachable and the like: datagrams are best effort, keep serving.
    }
  }

  /** Returns one client's session: its upstream socket and its toxics. */
  private final class Session {
    private final InetSocketAddress client;
    private final long id = total.incrementAndGet();
    private final long started = System.nanoTime();
    private final ChannelFuture upstream;
    private final Tap tap;
    private volatile long lastActive = System.nanoTime();
    private volatile UdpToxics up;
    private volatile UdpToxics down;
    private long sentUp;
    private long sentDown;

    Session(InetSocketAddress client) {
      this.client = client;
      this.tap =
          recorder.open(options.name(), id, "udp", client, localAddress(), options.upstream());
      retoxify(toxics);
      upstream =
          new Bootstrap()
              .group(listenChannel.eventLoop())
              .channel(transport.datagramChannel())
              .handler(
                  new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                      toClient(p.content());
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                      // Upstream not listening (ICMP): the client's own timeout tells it.
                    }
                  })
              .connect(options.upstreamAddress());
      listener.opened(id, client);
    }

    void retoxify(List<ToxicSpec> list) {
      up = new UdpToxics(list, Direction.UPSTREAM, UdpProxy.this::shared);
      down = new UdpToxics(list, Direction.DOWNSTREAM, UdpProxy.this::shared);
    }

    void toUpstream(ByteBuf content) {
      lastActive = System.nanoTime();
      send(up.judge(content.readableBytes(), lastActive), content, Direction.UPSTREAM);
    }

    void toClient(ByteBuf content) {
      lastActive = System.nanoTime();
      send(down.judge(content.readableBytes(), lastActive), content, Direction.DOWNSTREAM);
    }

    private void send(UdpToxics.Verdict verdict, ByteBuf content, Direction direction) {
      for (int i = 0; i < verdict.copies(); i++) {
        ByteBuf copy = content.retainedDuplicate();
        Runnable write = () -> write(copy, direction);
        if (verdict.delayNanos() > 0) {
          listenChannel.eventLoop().schedule(write, verdict.delayNanos(), TimeUnit.NANOSECONDS);
        } else {
          write.run();
        }
      }
    }

    private void write(ByteBuf buf, Direction direction) {
      int n = buf.readableBytes();
      if (direction == Direction.DOWNSTREAM) {
        tap.data(Side.SERVER, buf);
        sentDown += n;
        bytesDown.add(n);
        listenChannel.writeAndFlush(new DatagramPacket(buf, client));
      } else if (upstream.isSuccess()) {
        tap.data(Side.CLIENT, buf);
        sentUp += n;
        bytesUp.add(n);
        upstream.channel().writeAndFlush(buf);
      } else if (!upstream.isDone()) {
        upstream.addListener(f -> write(buf, direction));
      } else {
        buf.release();
      }
    }

    void close(String how) {
      if (sessions.remove(client, this)) {
        upstream.channel().close();
        long ms = (System.nanoTime() - started) / 1_000_000;
        listener.closed(new ConnectionListener.Closed(id, client, sentUp, sentDown, ms, how));
        tap.closed("idle".equals(how) ? EndReason.TIMEOUT : EndReason.CLOSED, sentUp, sentDown);
      }
    }
  }

  SharedState shared(ToxicSpec spec) {
    return shared.computeIfAbsent(
        spec.name() + "/" + spec.direction().label(), k -> new SharedState());
  }

  @Override
  public InetSocketAddress localAddress() {
    return (InetSocketAddress) listenChannel.localAddress();
  }

  @Override
  public void toxics(List<ToxicSpec> list) {
    for (ToxicSpec spec : list) {
      ToxicChain.type(spec, options.protocol());
    }
    List<ToxicSpec> copy = List.copyOf(list);
    toxics = copy;
    sessions.values().forEach(s -> s.retoxify(copy));
  }

  @Override
  public ProxyStats stats() {
    return new ProxyStats(bytesUp.sum(), bytesDown.sum(), total.get(), sessions.size());
  }

  @Override
  public void closeConnections() {
    sessions.values().forEach(s -> s.close("closed"));
  }

  @Override
  public void close() {
    if (listenChannel != null) {
      listenChannel.close().awaitUninterruptibly();
    }
    closeConnections();
    onClose.run();
  }
}
