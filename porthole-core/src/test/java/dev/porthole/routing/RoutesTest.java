package dev.porthole.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.porthole.store.RouteTable;
import dev.porthole.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutesTest {
  @TempDir Path dir;

  @Test
  void routesSurviveReopeningTheStore() {
    Path db = dir.resolve("porthole.db");
    try (Store store = Store.open(db)) {
      Routes routes = new Routes(new RouteTable(store), Clock.systemUTC());
      routes.add("API.localhost", List.of(Upstream.parse("127.0.0.1:8080")));
      routes.add("web.localhost", List.of(Upstream.parse("5173"), Upstream.parse("[::1]:5174")));
    }
    try (Store store = Store.open(db)) {
      Routes routes = new Routes(new RouteTable(store), Clock.systemUTC());
      assertThat(routes.list())
          .extracting(Route::name)
          .containsExactly("api.localhost", "web.localhost");
      assertThat(routes.get("web.localhost").upstreams())
          .containsExactly(new Upstream("127.0.0.1", 5173), new Upstream("::1", 5174));
      routes.remove("api.localhost");
    }
    try (Store store = Store.open(db)) {
      assertThat(new Routes(new RouteTable(store), Clock.systemUTC()).list())
          .extracting(Route::name)
          .containsExactly("web.localhost");
    }
  }

  @Test
  void namesOutsideLocalhostAreRefusedWithAReason() {
    assertThatThrownBy(() -> RouteName.check("api.example.com"))
        .hasMessage(
            "name api.example.com: not under .localhost (only *.localhost resolves to this machine"
                + " by itself; try api.localhost)");
    assertThatThrownBy(() -> RouteName.check("localhost")).hasMessageContaining("not under");
    assertThatThrownBy(() -> RouteName.check("ap\u200Bi.localhost"))
        .hasMessage(
            "name ap\\u200bi.localhost: contains a control, bidirectional or zero-width character"
                + " (U+200B)");
    assertThatThrownBy(() -> RouteName.check("\u202Eapi.localhost"))
        .hasMessageContaining("(U+202E)");
    assertThatThrownBy(() -> RouteName.check("a_b.localhost"))
        .hasMessageContaining("'_' is not allowed");
    assertThatThrownBy(() -> RouteName.check("-a.localhost")).hasMessageContaining("'-'");
    assertThat(RouteName.check("My-App.Localhost.")).isEqualTo("my-app.localhost");
  }

  @Test
  void upstreamsParseBarePortsHostsAndBrackets() {
    assertThat(Upstream.parse("5173")).isEqualTo(new Upstream("127.0.0.1", 5173));
    assertThat(Upstream.parse("localhost:8080").toString()).isEqualTo("localhost:8080");
    assertThat(Upstream.parse("[::1]:8080").toString()).isEqualTo("[::1]:8080");
    assertThatThrownBy(() -> Upstream.parse("::1:8080")).hasMessageContaining("brackets");
    assertThatThrownBy(() -> Upstream.parse("http://x:1")).hasMessageContaining("without a scheme");
    assertThatThrownBy(() -> Upstream.parse("127.0.0.1:99999"))
        .isInstanceOf(RouteException.class)
        .hasMessageContaining("99999");
  }

  @Test
  void duplicateAndMissingNamesAreConflictsAndNotFound() {
    Routes routes = new Routes(RoutePersistence.NONE, Clock.systemUTC());
    routes.add("a.localhost", List.of(Upstream.parse("1")));
    assertThatThrownBy(() -> routes.add("A.localhost", List.of(Upstream.parse("2"))))
        .extracting(e -> ((RouteException) e).kind())
        .isEqualTo(RouteException.Kind.CONFLICT);
    assertThatThrownBy(() -> routes.remove("b.localhost"))
        .extracting(e -> ((RouteException) e).kind())
        .isEqualTo(RouteException.Kind.NOT_FOUND);
    assertThatThrownBy(() -> routes.add("c.localhost", List.of()))
        .hasMessage("route c.localhost: at least one upstream is needed");
  }

  @Test
  void roundRobinSkipsAnUpstreamThatRefusedUntilItsTimeIsUp() {
    AtomicLong now = new AtomicLong(1_000_000);
    Clock clock =
        new Clock() {
          @Override
          public ZoneOffset getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return Instant.ofEpochMilli(now.get());
          }
        };
    Routes routes = new Routes(RoutePersistence.NONE, clock);
    Upstream a = Upstream.parse("1001");
    Upstream b = Upstream.parse("1002");
    routes.add("rr.localhost", List.of(a, b));
    Balancer bal = routes.find("RR.localhost");
    assertThat(bal.order().getFirst()).isEqualTo(a);
    assertThat(bal.order().getFirst()).isEqualTo(b);
    bal.refused(a);
    for (int i = 0; i < 4; i++) {
      assertThat(bal.order()).containsExactly(b, a); // a only as the last resort
    }
    now.addAndGet(Routes.SKIP_AFTER_REFUSAL.plus(Duration.ofMillis(1)).toMillis());
    assertThat(List.of(bal.order().getFirst(), bal.order().getFirst()))
        .containsExactlyInAnyOrder(a, b);
  }
}
