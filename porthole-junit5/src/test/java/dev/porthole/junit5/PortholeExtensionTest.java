package dev.porthole.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.porthole.testing.LocalProxy;
import dev.porthole.testing.PortReservation;
import dev.porthole.testsupport.EchoServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Runs inner test classes through EngineTestKit: injection, teardown and the guard. */
@Timeout(60)
class PortholeExtensionTest {
  static EchoServer echo;

  @BeforeAll
  static void start() throws IOException {
    echo = new EchoServer();
    System.setProperty("porthole.test.upstream", "127.0.0.1:" + echo.port());
  }

  @AfterAll
  static void stop() throws IOException {
    System.clearProperty("porthole.test.upstream");
    echo.close();
  }

  static final List<Object> SEEN = new CopyOnWriteArrayList<>();

  static class Injected {
    @ProxyTo(field = "echo")
    static LocalProxy shared;

    @ProxyTo(field = "echo")
    LocalProxy viaField;

    @ProxyTo(property = "porthole.test.upstream")
    LocalProxy viaProperty;

    @ProxyTo(env = "PORTHOLE_TEST_UPSTREAM")
    LocalProxy viaEnv;

    @ProxyTo(field = "viaField", name = "chain")
    LocalProxy chained;

    @FreePort int port;
    @FreePort PortReservation held;

    @Test
    void fieldsAreInjected() throws IOException {
      for (LocalProxy p : List.of(shared, viaField, viaProperty, chained)) {
        EchoServer.roundTrip(p.host(), p.port());
      }
      assertThat(viaEnv.upstream()).isEqualTo("127.0.0.1:9");
      assertThat(chained.upstream()).isEqualTo(viaField.hostPort());
      assertThat(chained.name()).startsWith("chain#");
      assertThat(viaField.counters().connections()).isEqualTo(2); // its own and chained's
      assertThat(port).isBetween(49152, 65535);
      assertThat(held.isHeld()).isTrue();
      assertThat(held.port()).isNotEqualTo(port);
      SEEN.addAll(List.of(shared, viaField, viaProperty, viaEnv, chained, held));
    }

    @Test
    void parametersAreInjected(
        @ProxyTo(field = "echo") LocalProxy p, @FreePort Integer free, @FreePort PortReservation r)
        throws IOException {
      EchoServer.roundTrip(p.host(), p.port());
      assertThat(p).isNotSameAs(viaField);
      assertThat(free).isNotEqualTo(r.port());
      SEEN.addAll(List.of(p, r));
    }
  }

  @Test
  void injectsFieldsAndParametersAndClosesEverythingAfterwards() {
    SEEN.clear();
    EngineExecutionResults results = Kit.run(Injected.class);
    assertThat(Kit.failures(results)).isEmpty();
    results.testEvents().assertStatistics(s -> s.succeeded(2));
    assertThat(SEEN).hasSize(8);
    for (Object o : SEEN) {
      if (o instanceof LocalProxy p) {
        assertThatThrownBy(p::toxics).hasMessageContaining("is closed");
        assertThatThrownBy(() -> EchoServer.roundTrip(p.host(), p.port()))
            .isInstanceOf(ConnectException.class);
      } else {
        assertThat(((PortReservation) o).isHeld()).isFalse();
      }
    }
  }

  static class Guarded {
    @ProxyTo(field = "echo", requireTraffic = true)
    LocalProxy api;

    @Test
    void usesTheProxy() throws IOException {
      EchoServer.roundTrip(api.host(), api.port());
    }

    @Test
    void talksToTheUpstreamDirectly() throws IOException {
      EchoServer.roundTrip("127.0.0.1", echo.port());
    }
  }

  @Test
  void requireTrafficFailsATestThatBypassedTheProxy() {
    EngineExecutionResults results = Kit.run(Guarded.class);
    results.testEvents().assertStatistics(s -> s.succeeded(1).failed(1));
    assertThat(Kit.failures(results))
        .singleElement()
        .asString()
        .startsWith(
            "@ProxyTo(requireTraffic = true) on field Guarded.api: no connection went through"
                + " the proxy; connect to 127.0.0.1:")
        .endsWith("instead of the upstream 127.0.0.1:" + echo.port());
  }

  static class AServer {
    static ServerSocket server;

    @ProxyTo(field = "server")
    LocalProxy p;

    @BeforeAll
    static void open() throws IOException {
      server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
    }

    @AfterAll
    static void close() throws IOException {
      server.close();
    }

    @Test
    void proxiesToTheServerStartedInBeforeAll() {
      assertThat(p.upstream()).isEqualTo("127.0.0.1:" + server.getLocalPort());
    }
  }

  @Test
  void aServerStartedInBeforeAllIsAnUpstream() {
    EngineExecutionResults results = Kit.run(AServer.class);
    assertThat(Kit.failures(results)).isEmpty();
    results.testEvents().assertStatistics(s -> s.succeeded(1));
  }
}
