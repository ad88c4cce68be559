package dev.porthole.routing.tls;

import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.AsyncMapping;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLException;

/**
 * Returns the TLS context for the SNI name of a new connection, for Netty's {@code SniHandler}: a
 * leaf for exactly that name, minted by the {@link LocalCa} on first use (off the event loop),
 * cached, and minted again when it is due for renewal. Names outside {@code localhost} get the
 * {@code localhost} certificate, which their client rejects: the CA cannot sign for them anyway.
 *
 * <p>Every context offers HTTP/2 and HTTP/1.1 by ALPN.
 */
public final class CertificateMapping implements AsyncMapping<String, SslContext> {
  /** At most this many names are cached; past it the cache starts over (a flood of names). */
  static final int MAX_NAMES = 1000;

  private final LocalCa ca;
  private final Clock clock;
  private final Executor minting;
  private final TlsEngine engine;
  private final Map<String, Entry> cache = new ConcurrentHashMap<>();

  private record Entry(Leaf leaf, SslContext context) {}

  /**
   * Returns a mapping that mints with {@code ca} on {@code minting} threads, on this machine's best
   * {@link TlsEngine}.
   */
  public CertificateMapping(LocalCa ca, Clock clock, Executor minting) {
    this(ca, clock, minting, TlsEngine.best());
  }

  /** Returns a mapping whose contexts run on {@code engine}. */
  public CertificateMapping(LocalCa ca, Clock clock, Executor minting, TlsEngine engine) {
    this.ca = ca;
    this.clock = clock;
    this.minting = minting;
    this.engine = engine;
  }

  /** Returns the TLS implementation this mapping's contexts use. */
  public TlsEngine engine() {
    return engine;
  }

  @Override
  public Future<SslContext> map(String input, Promise<SslContext> promise) {
    String name = name(input);
    Entry e = cache.get(name);
    if (e != null && !e.leaf().dueForRenewal(clock.instant())) {
      return promise.setSuccess(e.context());
    }
    minting.execute(
        () -> {
          try {
            promise.setSuccess(context(name));
          } catch (RuntimeException | SSLException ex) {
            promise.setFailure(ex);
          }
        });
    return promise;
  }

  /**
   * Mints the {@code localhost} context in the background now: the first TLS context of a JVM loads
   * the JDK's trust store, which takes seconds on a busy machine, and a client's handshake should
   * not wait for that.
   */
  public void warm() {
    minting.execute(
        () -> {
          try {
            context("localhost");
          } catch (RuntimeException | SSLException e) {
            // The first real handshake mints again and reports the failure to its client.
          }
        });
  }

  /** Returns the cached or newly minted context for {@code name} (blocking). */
  public SslContext context(String name) throws SSLException {
    Entry e = cache.get(name);
    if (e != null && !e.leaf().dueForRenewal(clock.instant())) {
      return e.context();
    }
    Leaf leaf = ca.issue(name);
    SslContext ctx =
        SslContextBuilder.forServer(leaf.key(), leaf.chain())
            .sslProvider(engine.provider())
            .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
            .applicationProtocolConfig(
                new ApplicationProtocolConfig(
                    ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                    ApplicationProtocolNames.HTTP_2,
                    ApplicationProtocolNames.HTTP_1_1))
            .build();
    if (cache.size() >= MAX_NAMES) {
      cache.clear();
    }
    cache.put(name, new Entry(leaf, ctx));
    return ctx;
  }

  /** Returns the leaf currently cached for {@code name}, or null. */
  public Leaf cached(String name) {
    Entry e = cache.get(name);
    return e == null ? null : e.leaf();
  }

  /**
   * Returns the name to mint for: the SNI name lower-cased, or localhost when it cannot be ours.
   */
  static String name(String sni) {
    if (sni == null || sni.isEmpty()) {
      return "localhost";
    }
    String n = sni.toLowerCase(Locale.ROOT);
    if (n.endsWith(".")) {
      n = n.substring(0, n.length() - 1);
    }
    boolean ours = n.equals("localhost") || n.endsWith(".localhost");
    boolean ldh =
        n.chars()
            .allMatch(
                c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.');
    return ours && ldh && n.length() <= 253 ? n : "localhost";
  }
}
