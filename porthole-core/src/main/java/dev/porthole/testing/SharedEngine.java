package dev.porthole.testing;

import dev.porthole.proxy.ProxyEngine;
import dev.porthole.proxy.ProxyOptions;
import dev.porthole.proxy.ProxyPersistence;
import dev.porthole.proxy.ProxyRegistry;
import dev.porthole.proxy.ProxyWarmUp;
import dev.porthole.proxy.toxics.ToxicRegistry;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Returns the one proxy registry of this JVM's {@link LocalProxy}s, made on first use: its event
 * loops are daemon threads, so it lives until the JVM exits without keeping it alive. Sharing one
 * engine is what makes the second proxy cheap (no event loop to start) and, being the daemon's own
 * control plane, gives the library exactly the daemon's toxic semantics.
 */
final class SharedEngine {
  private static final AtomicLong IDS = new AtomicLong();
  private static final AtomicBoolean WARMING = new AtomicBoolean();

  private SharedEngine() {}

  private static final class Holder {
    // Two loops: enough for tests on any machine, few threads in every test JVM.
    static final ProxyRegistry REGISTRY =
        new ProxyRegistry(
            ProxyEngine.daemon(2, "porthole-proxy"),
            ToxicRegistry.standard(),
            ProxyPersistence.NONE,
            false,
            ProxyOptions.DEFAULT_CONNECT_TIMEOUT);
  }

  /** Returns the registry, creating it (and the engine) on first call. */
  static ProxyRegistry registry() {
    return Holder.REGISTRY;
  }

  /**
   * Starts, once per JVM, a background thread that builds the engine and sends connections
   * through a throwaway proxy ({@link ProxyWarmUp}), so that class loading and the first
   * compilations of the connection path overlap with the caller's own work. {@code -Dporthole.warmup=false} turns it off.
   */
  static void warmUp() {
    if (!"false".equals(System.getProperty("porthole.warmup"))
        && WARMING.compareAndSet(false, true)) {
      Thread.ofPlatform().daemon().name("porthole-warmup").start(SharedEngine::warm);
    }
  }

  private static void warm() {
    try {
      ProxyWarmUp.run(registry().engine());
    } catch (RuntimeException e) {
      // Only an optimisation: a failure here shows again, with its reason, in the real proxy.
    }
  }

  /** Returns a registry name unique in this JVM: {@code label#N}. */
  static String uniqueName(String label) {
    return label + "#" + IDS.incrementAndGet();
  }
}
