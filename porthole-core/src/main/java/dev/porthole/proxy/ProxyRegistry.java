package dev.porthole.proxy;

import dev.porthole.proxy.toxics.ToxicRegistry;
import dev.porthole.sockets.Protocol;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Returns the control plane for named proxies with Toxiproxy's semantics: create, update with its
 * merge rules, enable and disable, populate, reset, toxics per direction. Every change is kept in a
 * {@link ProxyPersistence} and restored by {@link #restore()}.
 *
 * <p>Each method either does all it was asked or throws a {@link ProxyException} having changed
 * nothing (populate and reset stop at the first failure, as in Toxiproxy). Methods are serialized:
 * changes are rare and binding a port is quick.
 */
public final class ProxyRegistry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyRegistry.class);

  /** Returns a request to create a proxy; {@code null} fields take Toxiproxy's defaults. */
  public record NewProxy(
      String name, String listen, String upstream, Boolean enabled, Protocol protocol) {}

  /** Returns a partial update: {@code null} keeps the current value. */
  public record ProxyUpdate(String listen, String upstream, Boolean enabled) {}

  /** Returns what populate did: the proxies done, and the failure that stopped it, if any. */
  public record PopulateResult(List<ProxyState> proxies, ProxyException error) {}

  private final ProxyEngine engine;
  private final ToxicFactory toxics;
  private final ToxicRegistry types;
  private final ProxyPersistence persistence;
  private final boolean allowNonLoopback;
  private final ListenRules listenRules;
  private final Duration connectTimeout;
  private final Map<String, ManagedProxy> proxies = new TreeMap<>();
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
  private boolean closed;
  private volatile boolean logged = true;

  /**
   * Returns a registry that owns {@code engine} (closed with it).
   *
   * @param allowNonLoopback whether proxies may listen beyond 127.0.0.0/8 and ::1
   * @param connectTimeout how long a proxy waits for its upstream to accept
   */
  public ProxyRegistry(
      ProxyEngine engine,
      ToxicRegistry types,
      ProxyPersistence persistence,
      boolean allowNonLoopback,
      Duration connectTimeout) {
    this.engine = engine;
    this.types = types;
    this.toxics = new ToxicFactory(types);
    this.persistence = persistence;
    this.allowNonLoopback = allowNonLoopback;
    this.listenRules = new ListenRules(allowNonLoopback);
    this.connectTimeout = connectTimeout;
  }

  /**
   * Makes this registry log nothing of its changes, and returns it: for a throwaway registry that
   * warms the create path up, whose proxies no user made.
   */
  public ProxyRegistry quiet() {
    logged = false;
    return this;
  }

  /** Logs a change at INFO, unless {@link #quiet}. */
  private void info(String format, Object... args) {
    if (logged) {
      LOG.info(format, args);
    }
  }

  /** Returns the toxic types this registry accepts. */
  public ToxicRegistry types() {
    return types;
  }

  /** Calls {@code listener} with a proxy's name after each change to it (quick work only). */
  public void addListener(Consumer<String> listener) {
    listeners.add(listener);
  }

  /** Loads the stored proxies and starts the enabled ones; one that cannot start stays disabled. */
  public synchronized int restore() {
    int count = 0;
    for (ProxyPersistence.Stored s : persistence.load()) {
      ManagedProxy m = new ManagedProxy(s.name(), s.protocol(), s.listen(), s.upstream());
      for (ToxicState t : s.toxics()) {
        try {
          Map<String, Object> attributes = toxics.restore(t.type(), t.attributes());
          m.toxics.add(
              new ToxicState(
                  t.name(), t.type(), t.stream(), t.direction(), t.toxicity(), attributes));
        } catch (ProxyException e) {
          // One stored toxic this version refuses must not keep the daemon from starting.
          LOG.warn("proxy {}: stored toxic {} dropped: {}", m.name, t.name(), e.getMessage());
        }
      }
      proxies.put(m.name, m);
      count++;
      if (s.enabled()) {
        try {
          start(m);
        } catch (ProxyException e) {
          LOG.warn("proxy {} restored disabled: {}", m.name, e.getMessage());
        }
      }
    }
    return count;
  }

  /** Returns every proxy, sorted by name. */
  public synchronized List<ProxyState> list() {
    return proxies.values().stream().map(ManagedProxy::snapshot).toList();
  }

  /** Returns one proxy, or throws 404 {@code proxy not found}. */
  public synchronized ProxyState get(String name) {
    return find(name).snapshot();
  }

  /** Creates a proxy (Toxiproxy's {@code POST /proxies}) and starts it unless disabled. */
  public synchronized ProxyState create(NewProxy req) {
    NewProxyCheck.required(req, "");
    if (proxies.containsKey(req.name())) {
      throw new ProxyException(ProxyException.Kind.CONFLICT, "proxy already exists");
    }
    ManagedProxy m = NewProxyCheck.build(req, listenRules);
    if (req.enabled() == null || req.enabled()) {
      start(m);
    }
    noLoop(m);
    proxies.put(m.name, m);
    saved(m);
    info(
        "proxy {} created: {} -> {}{}",
        m.name,
        m.listen,
        m.upstream,
        m.enabled() ? "" : " (disabled)");
    return m.snapshot();
  }

  /** Updates listen, upstream and enabled with Toxiproxy's rules; on failure nothing changes. */
  public synchronized ProxyState update(String name, ProxyUpdate u) {
    ManagedProxy m = find(name);
    String oldListen = m.listen;
    String oldUpstream = m.upstream;
    boolean wasEnabled = m.enabled();
    if (u.upstream() != null) {
      ListenRules.checkUpstream(u.upstream());
    }
    if (listenRules.differs(m, u.listen(), u.upstream())) {
      m.stop();
      m.listen = u.listen() != null ? u.listen() : m.listen;
      m.upstream = u.upstream() != null ? u.upstream() : m.upstream;
    }
    boolean wanted = u.enabled() != null ? u.enabled() : wasEnabled;
    try {
      if (wanted && !m.enabled()) {
        start(m);
      } else if (!wanted && m.enabled()) {
        m.stop();
      }
      LoopCheck.check(m, proxies.values());
    } catch (ProxyException e) {
      rollback(m, oldListen, oldUpstream, wasEnabled);
      throw e;
    }
    saved(m);
    info(
        "proxy {} updated: {} -> {}{}",
        m.name,
        m.listen,
        m.upstream,
        m.enabled() ? "" : " (disabled)");
    return m.snapshot();
  }

  private void rollback(ManagedProxy m, String listen, String upstream, boolean enabled) {
    m.stop();
    m.listen = listen;
    m.upstream = upstream;
    if (enabled) {
      try {
        start(m);
      } catch (ProxyException again) {
        LOG.warn("proxy {} could not listen again on {}: {}", m.name, listen, again.getMessage());
        saved(m);
      }
    }
  }

  /** Stops and removes a proxy, closing its connections. */
  public synchronized void delete(String name) {
    ManagedProxy m = find(name);
    m.stop();
    proxies.remove(name);
    persistence.delete(name);
    changed(name);
    info("proxy {} deleted", name);
  }

  /** Drops a proxy's live connections; it keeps listening (nothing happens when disabled). */
  public synchronized void closeConnections(String name) {
    ManagedProxy m = find(name);
    if (m.running != null) {
      m.running.closeConnections();
    }
  }

  /**
   * Creates or replaces many proxies (Toxiproxy's {@code /populate}): all entries are checked
   * first; an unchanged proxy is kept as it is; a changed one is replaced by a new one (its toxics
   * are lost); the first failure stops the rest.
   */
  public synchronized PopulateResult populate(List<NewProxy> entries) {
    for (int i = 0; i < entries.size(); i++) {
      NewProxyCheck.required(entries.get(i), " at proxy " + (i + 1));
    }
    List<ProxyState> done = new ArrayList<>();
    for (NewProxy e : entries) {
      try {
        ManagedProxy existing = proxies.get(e.name());
        if (existing != null
            && !listenRules.differs(existing, e.listen() == null ? "" : e.listen(), e.upstream())) {
          done.add(existing.snapshot());
          continue;
        }
        ManagedProxy m = NewProxyCheck.build(e, listenRules);
        if (existing != null) {
          delete(existing.name);
        }
        if (e.enabled() == null || e.enabled()) {
          start(m);
        }
        noLoop(m);
        proxies.put(m.name, m);
        saved(m);
        done.add(m.snapshot());
      } catch (ProxyException failure) {
        return new PopulateResult(done, failure);
      }
    }
    return new PopulateResult(done, null);
  }

  /** Enables every proxy and removes every toxic; stops at the first proxy that cannot listen. */
  public synchronized void reset() {
    for (ManagedProxy m : proxies.values()) {
      if (!m.enabled()) {
        start(m);
      }
      m.toxics.clear();
      m.applyToxics();
      saved(m);
    }
    info("reset: {} proxies enabled, toxics removed", proxies.size());
  }

  /** Returns a proxy's toxics, upstream first. */
  public synchronized List<ToxicState> toxics(String proxy) {
    return find(proxy).ordered();
  }

  /** Returns one toxic, or 404 {@code proxy not found} / {@code toxic not found}. */
  public synchronized ToxicState toxic(String proxy, String toxic) {
    ManagedProxy m = find(proxy);
    int i = m.indexOf(toxic);
    if (i < 0) {
      throw ProxyException.toxicNotFound();
    }
    return m.toxics.get(i);
  }

  /** Adds a toxic at the end of its direction's chain; it acts on live connections at once. */
  public synchronized ToxicState addToxic(String proxy, ToxicRequest req) {
    ManagedProxy m = find(proxy);
    ToxicState t = toxics.create(m.protocol, m.toxics, req);
    m.toxics.add(t);
    m.applyToxics();
    saved(m);
    info("proxy {}: toxic {} added ({} {})", m.name, t.name(), t.type(), t.stream());
    return t;
  }

  /** Merges attributes into a toxic and replaces its toxicity if given. */
  public synchronized ToxicState updateToxic(
      String proxy, String toxic, Map<String, Object> attributes, Double toxicity) {
    ManagedProxy m = find(proxy);
    int i = m.indexOf(toxic);
    if (i < 0) {
      throw ProxyException.toxicNotFound();
    }
    ToxicState t = toxics.update(m.toxics.get(i), attributes, toxicity);
    m.toxics.set(i, t);
    m.applyToxics();
    saved(m);
    info("proxy {}: toxic {} updated", m.name, t.name());
    return t;
  }

  /** Removes a toxic; bytes it holds are passed on. */
  public synchronized void removeToxic(String proxy, String toxic) {
    ManagedProxy m = find(proxy);
    int i = m.indexOf(toxic);
    if (i < 0) {
      throw ProxyException.toxicNotFound();
    }
    m.toxics.remove(i);
    m.applyToxics();
    saved(m);
    info("proxy {}: toxic {} removed", m.name, toxic);
  }

  private ManagedProxy find(String name) {
    ManagedProxy m = proxies.get(name);
    if (m == null) {
      throw ProxyException.proxyNotFound();
    }
    return m;
  }

  /** Throws (having stopped {@code m}) if the new proxy's upstream leads back to it. */
  private void noLoop(ManagedProxy m) {
    try {
      LoopCheck.check(m, proxies.values());
    } catch (ProxyException e) {
      m.stop();
      throw e;
    }
  }

  private void start(ManagedProxy m) {
    InetSocketAddress a = listenRules.bindAddress(m.protocol, m.listen);
    ProxyOptions options;
    try {
      options =
          new ProxyOptions(m.name, m.protocol, a, m.upstream, allowNonLoopback, connectTimeout);
    } catch (IllegalArgumentException e) {
      // The engine's own checks (a blank name, say): the request's fault, never a 500.
      throw ProxyException.bad(e.getMessage());
    }
    try {
      m.running = engine.start(options);
    } catch (IOException | RuntimeException e) {
      throw ListenRules.bindFailure(m.protocol, a, e);
    }
    m.listen = HostPort.format(m.running.localAddress());
    m.applyToxics();
  }

  private void saved(ManagedProxy m) {
    persistence.save(m.stored(m.enabled()));
    changed(m.name);
  }

  private void changed(String name) {
    for (Consumer<String> l : listeners) {
      try {
        l.accept(name);
      } catch (RuntimeException e) {
        LOG.warn("proxy listener failed: {}", e.toString());
      }
    }
  }

  /** Returns the engine whose event loops run the proxies (the router shares them). */
  public ProxyEngine engine() {
    return engine;
  }

  /** Stops every proxy (their stored state is kept for the next start) and the engine. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (ManagedProxy m : proxies.values()) {
      m.stop();
    }
    engine.close();
  }
}
