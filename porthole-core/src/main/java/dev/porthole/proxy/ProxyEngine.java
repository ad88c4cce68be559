package dev.porthole.proxy;

import dev.porthole.sockets.Protocol;
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

  /** Returns an engine with one event loop per CPU on the best transport. */
  public ProxyEngine() {
    this(Transport.best(), Runtime.getRuntime().availableProcessors());
  }

  ProxyEngine(Transport transport, int threads) {
    this.transport = transport;
    this.group = transport.newGroup(threads);
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
  public RunningProxy start(ProxyOptions options, ConnectionListener listener)
      throws IOException {
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
      UdpProxy udp = new UdpProxy(options, listener, forget);
      udp.toxics(toxics);
      udp.bind(transport, group);
      self[0] = udp;
    } else {
      TcpProxy tcp = new TcpProxy(options, listener, forget, loops);
      tcp.toxics(toxics);
      tcp.bind(transport, group);
      self[0] = tcp;
    }
    proxies.add(self[0]);
    return self[0];
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
