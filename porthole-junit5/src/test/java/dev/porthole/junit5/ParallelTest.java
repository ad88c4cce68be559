package dev.porthole.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.testing.LocalProxy;
import dev.porthole.testing.Ports;
import dev.porthole.testsupport.EchoServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Runs many tests at once under JUnit's parallel execution: every one gets its own proxy and port,
 * none collides, and no file descriptor outlives them.
 */
@Timeout(120)
class ParallelTest {
  static EchoServer echo;
  static final Set<Integer> PROXY_PORTS = ConcurrentHashMap.newKeySet();
  static final Set<Integer> FREE_PORTS = ConcurrentHashMap.newKeySet();
  static final AtomicInteger RUNNING = new AtomicInteger();
  static final AtomicInteger MOST_AT_ONCE = new AtomicInteger();
  static final AtomicInteger TESTS = new AtomicInteger();

  @BeforeAll
  static void start() throws IOException {
    echo = new EchoServer();
  }

  @AfterAll
  static void stop() throws IOException {
    echo.close();
  }

  /** Returns after one round trip through {@code proxy}, recording its port and {@code free}. */
  static void use(LocalProxy proxy, int free) throws IOException {
    int now = RUNNING.incrementAndGet();
    MOST_AT_ONCE.accumulateAndGet(now, Math::max);
    TESTS.incrementAndGet();
    // A port may come back after its test ended; two tests holding it at once is a collision.
    boolean ownProxyPort = PROXY_PORTS.add(proxy.port());
    boolean ownFreePort = FREE_PORTS.add(free);
    try {
      assertThat(ownProxyPort).as("proxy port %d used by two tests at once", proxy.port()).isTrue();
      assertThat(ownFreePort).as("free port %d given to two tests at once", free).isTrue();
      EchoServer.roundTrip(proxy.host(), proxy.port());
      assertThat(proxy.counters().connections()).isEqualTo(1);
      Thread.sleep(20); // overlap with the other tests, so they really run at once
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (ownProxyPort) {
        PROXY_PORTS.remove(proxy.port());
      }
      if (ownFreePort) {
        FREE_PORTS.remove(free);
      }
      RUNNING.decrementAndGet();
    }
  }

  static class Stress {
    @ProxyTo(field = "echo", requireTraffic = true)
    LocalProxy proxy;

    @FreePort int port;

    @RepeatedTest(200)
    void ownProxyAndPort() throws IOException {
      use(proxy, port);
    }
  }

  static class A {
    @RepeatedTest(10)
    void a(@ProxyTo(field = "echo") LocalProxy p, @FreePort int port) throws IOException {
      use(p, port);
    }
  }

  static class B {
    @ProxyTo(field = "echo")
    LocalProxy p;

    @FreePort int port;

    @RepeatedTest(10)
    void b() throws IOException {
      use(p, port);
    }
  }

  static long openFds() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  static void reset() {
    PROXY_PORTS.clear();
    FREE_PORTS.clear();
    MOST_AT_ONCE.set(0);
    TESTS.set(0);
  }

  @Test
  void parallelClassesGetTheirOwnProxiesAndPorts() {
    reset();
    EngineExecutionResults results = Kit.parallel(8, A.class, B.class);
    assertThat(Kit.failures(results)).isEmpty();
    results.testEvents().assertStatistics(s -> s.succeeded(20));
    assertThat(TESTS.get()).isEqualTo(20);
    assertThat(MOST_AT_ONCE.get()).isGreaterThan(1);
  }

  @Test
  void twoHundredParallelTestsNeitherCollideNorLeakDescriptors() throws IOException {
    // Warm the engine, the lock folder and the class loading, so the baseline holds their fds.
    LocalProxy.to(echo.port()).close();
    Ports.freePort();
    Kit.parallel(4, A.class);
    reset();
    long before = openFds();
    EngineExecutionResults results = Kit.parallel(16, Stress.class);
    assertThat(Kit.failures(results)).isEmpty();
    results.testEvents().assertStatistics(s -> s.succeeded(200));
    assertThat(TESTS.get()).isEqualTo(200);
    assertThat(MOST_AT_ONCE.get()).isGreaterThan(4);
    long after = openFds();
    // A small fixed slack: JUnit's worker pool and the JIT may open a file or two meanwhile.
    assertThat(after).as("fds before %d, after %d", before, after).isLessThanOrEqualTo(before + 8);
  }
}
