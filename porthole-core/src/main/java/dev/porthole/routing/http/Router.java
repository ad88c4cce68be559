package dev.porthole.routing.http;

import dev.porthole.proxy.ProxyEngine;
import dev.porthole.routing.Routes;
import dev.porthole.routing.tls.CertificateMapping;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SniHandler;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Returns the router: one HTTP and one HTTPS listener on the proxy engine's event loops, sending
 * each request to the upstream of the route its {@code Host} (or SNI) names. HTTPS speaks HTTP/2 or
 * HTTP/1.1 by ALPN; the upstream always gets HTTP/1.1.
 *
 * <pre>{@code
 * try (Router r = Router.start(new RouterOptions("127.0.0.1", 0, 0), routes, engine, mapping)) {
 *   int https = r.httpsPort();
 * }
 * }</pre>
 */
public final class Router implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Router.class);

  private final RouterContext context;
  private final List<Channel> listeners = new ArrayList<>();
  private int httpPort = -1;
  private int httpsPort = -1;

  private Router(RouterContext context) {
    this.context = context;
  }

  /**
   * Binds the listeners and returns the router.
   *
   * @param mapping the certificates by SNI name; null when HTTPS is off
   * @throws BindException when a port is taken (nothing stays bound then)
   */
  public static Router start(
      RouterOptions options, Routes routes, ProxyEngine engine, CertificateMapping mapping)
      throws IOException {
    Router r =
        new Router(new RouterContext(routes, engine, new UpstreamDiagnosis(), new UpstreamPool()));
    try {
      if (options.httpPort() >= 0) {
        r.httpPort = r.bind(engine, options.host(), options.httpPort(), r.plain(), "HTTP");
      }
      if (options.httpsPort() >= 0) {
        if (mapping == null) {
          throw new IllegalArgumentException("mapping: null (needed for HTTPS)");
        }
        mapping.warm();
        r.httpsPort = r.bind(engine, options.host(), options.httpsPort(), r.tls(mapping), "HTTPS");
      }
    } catch (IOException | RuntimeException e) {
      r.close();
      throw e;
    }
    return r;
  }

  private ChannelHandler plain() {
    return new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel ch) {
        ch.config().setAutoRead(false);
        ch.pipeline().addLast("http", new HttpServerCodec());
        ch.pipeline().addLast("frontend", new HttpFrontend(context, "http"));
      }
    };
  }

  private ChannelHandler tls(CertificateMapping mapping) {
    return new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel ch) {
        ch.pipeline().addLast("sni", new SniHandler(mapping));
        ch.pipeline().addLast("alpn", new AlpnHandler(context));
      }
    };
  }

  private int bind(ProxyEngine engine, String host, int port, ChannelHandler init, String what)
      throws IOException {
    ServerBootstrap b =
        engine
            .serverBootstrap()
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(init);
    Channel ch;
    try {
      ch = b.bind(host, port).sync().channel();
    } catch (Exception e) {
      BindException be =
          new BindException(what + " port " + host + ":" + port + ": " + e.getMessage());
      be.initCause(e);
      throw be;
    }
    listeners.add(ch);
    int bound = ((InetSocketAddress) ch.localAddress()).getPort();
    if (host.equals("127.0.0.1")) {
      try {
        listeners.add(b.bind("::1", bound).sync().channel());
      } catch (Exception e) {
        LOG.debug("router {}: [::1]:{} not bound: {}", what, bound, e.toString());
      }
    }
    return bound;
  }

  /** Returns the bound HTTP port, or -1 when plain HTTP is off. */
  public int httpPort() {
    return httpPort;
  }

  /** Returns the bound HTTPS port, or -1 when HTTPS is off. */
  public int httpsPort() {
    return httpsPort;
  }

  /**
   * Closes the listeners and the idle upstream connections; connections in flight finish on the
   * engine's loops. Idempotent.
   */
  @Override
  public void close() {
    for (Channel ch : listeners) {
      ch.close().syncUninterruptibly();
    }
    listeners.clear();
    context.pool().close();
    context.diagnosis().close();
  }
}
