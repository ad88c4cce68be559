package dev.porthole.proxy;

import dev.porthole.capture.Recorder;
import dev.porthole.sockets.Protocol;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Returns the proxy engine: it owns the Netty event loops (native epoll on Linux, NIO elsewhere)
 * and starts proxies on them. One engine serves any number of proxies.
 *
 * <pre>
 * try (ProxyEngine engine = new ProxyEngine();
 *     RunningProxy proxy = engine.start(ProxyOptions.tcp("db", listen, "127.0.0.1:5432"))) {
 *   proxy.toxics(List.of(ToxicSpec.of("slow", "latency", Direction.DOWNSTREAM, attributes)));
 * }
 * </pre>
 */
public final class ProxyEngine implements AutoCloseable {
  private final Transport transport;
  private final EventLoopGroup group;
  private final Set<RunningProxy> proxies = ConcurrentHashMap.newKeySet();
  // Shared by this engine's proxies: a loop through any of them is one of ours.
  private final LoopGuard loops = new LoopGuard();
  private volatile boolean closed;
  private volatile Recorder recorder = Recorder.NONE;

  /** Returns an engine with one event loop per CPU on the best transport. */
  public ProxyEngine() {
    this(Transport.best(), Runtime.getRuntime().availableProcessors());
  }

  ProxyEngine(Transport transport, int threads) {
    this.transport = transport;
    this.group = transport.newGroup(threads);
  }

  private ProxyEngine(Transport transport, int threads, String daemonPrefix) {
    this.transport = transport;
    this.group = transport.newDaemonGroup(threads, daemonPrefix);
  }

  /**
   * Returns an engine whose event loop threads are daemon threads named {@code prefix-N}, for a
   * library that lives as long as its JVM and must not keep it from exiting.
   */
  public static ProxyEngine daemon(int threads, String prefix) {
    return new ProxyEngine(Transport.best(), threads, prefix);
  }

  /** Returns a server bootstrap on the engine's event loops and transport (the router's). */
  public ServerBootstrap serverBootstrap() {
    if (closed) {
      throw new IllegalStateException("engine is closed");
    }
    return new ServerBootstrap().group(group).channel(transport.serverChannel());
  }

  /** Returns a client bootstrap on {@code loop} (the caller's: no hop between threads). */
  public Bootstrap clientBootstrap(EventLoop loop) {
    return new Bootstrap().group(loop).channel(transport.socketChannel());
  }

  /**
   * Records every connection of proxies started from now on through {@code recorder} (traffic
   * capture); {@link Recorder#NONE}, the default, records nothing.
   */
  public void recorder(Recorder recorder) {
    this.recorder = recorder == null ? Recorder.NONE : recorder;
  }

  /** Returns whether {@link #close()} was called (a warm-up stops then). */
  public boolean isClosed() {
    return closed;
  }

  /** Returns "epoll" or "nio". */
  public String transportName() {
    return transport.name();
  }

  /** Starts a proxy that reports nothing per connection. */
  public RunningProxy start(ProxyOptions options) throws IOException {
    return start(options, ConnectionListener.NONE);
  }

  /**
   * Binds the proxy's listener now and returns it running.
   *
   * @throws java.net.BindException when the address is in use
   * @throws IllegalStateException after {@link #close()}
   */
  public RunningProxy start(ProxyOptions options, ConnectionListener listener) throws IOException {
    return start(options, listener, List.of());
  }

  /**
   * Binds the proxy's listener with {@code toxics} already in place, so that even the first
   * connection gets them, and returns it running.
   *
   * @throws IllegalArgumentException when a toxic is invalid (nothing is bound then)
   */
  public RunningProxy start(
      ProxyOptions options, ConnectionListener listener, List<ToxicSpec> toxics)
      throws IOException {
    if (closed) {
      throw new IllegalStateException("engine is closed");
    }
    RunningProxy[] self = new RunningProxy[1];
    Runnable forget = () -> proxies.remove(self[0]);
    if (options.protocol() == Protocol.UDP) {
      UdpProxy udp = new UdpProxy(options, listener, recorder, forget);
      udp.toxics(toxics);
      udp.bind(transport, group);
      self[0] = udp;
    } else {
      TcpProxy tcp = new TcpProxy(options, listener, recorder, forget, loops);
      tcp.toxics(toxics);
      tcp.bind(transport, group);
      self[0] = tcp;
    }
    proxies.add(self[0]);
    return self[0];
  }

  /** Returns the recorder of proxies started from now on. */
  Recorder recorder() {
    return recorder;
  }

  /**
   * Starts a TCP proxy that records through {@code recorder} only, not this engine's, and reports
   * to {@code listener} (the warm-up's); it is in no list of this engine's and closed by its
   * caller.
   */
  RunningProxy startUnlisted(ProxyOptions options, Recorder recorder, ConnectionListener listener)
      throws IOException {
    if (closed) {
      throw new IllegalStateException("engine is closed");
    }
    TcpProxy tcp = new TcpProxy(options, listener, recorder, () -> {}, loops);
    tcp.bind(transport, group);
    return tcp;
  }

  /** Closes every proxy and stops the event loops. */
  @Override
  public void close() {
    closed = true;
    for (RunningProxy proxy : List.copyOf(proxies)) {
      proxy.close();
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
