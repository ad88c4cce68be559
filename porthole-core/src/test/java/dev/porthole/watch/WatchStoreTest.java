package dev.porthole.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.attribution.Origin;
import dev.porthole.attribution.OriginKind;
import dev.porthole.store.Migration;
import dev.porthole.store.Migrations;
import dev.porthole.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class WatchStoreTest {
  private static final Instant T = Instant.parse("2026-11-21T12:00:00Z");

  @TempDir Path dir;

  private static EventDetector.Step opened(Listener l, Instant at) {
    return new EventDetector().step(List.of(l), Policy.NONE, at);
  }

  @Test
  void migratesFromThePreviousSchemaKeepingItsData() {
    Path file = dir.resolve("p.db");
    List<Migration> all = Migrations.fromClasspath();
    assertThat(all).extracting(Migration::version).contains(3);
    try (Store v2 = Store.open(file, all.stream().filter(m -> m.version() <= 2).toList())) {
      v2.execute("INSERT INTO meta(key, value) VALUES ('kept', 'yes')");
    }
    try (Store latest = Store.open(file)) {
      assertThat(latest.schemaVersion()).isGreaterThanOrEqualTo(3);
      assertThat(latest.query("SELECT value FROM meta", rs -> rs.getString(1)))
          .containsExactly("yes");
      assertThat(new WatchStore(latest).events(new WatchStore.EventQuery(null, null, null, 0)))
          .isEmpty();
    }
  }

  @Test
  void recordsEventsAndHistoryAndQueriesThem() {
    try (Store s = Store.open(dir.resolve("p.db"))) {
      WatchStore w = new WatchStore(s);
      Listener l =
          EventDetectorTest.tcp("0.0.0.0", 8080, EventDetectorTest.proc(10, "nc", "/bin/nc"));
      List<WatchEvent> stored = w.record(opened(l, T), T);
      assertThat(stored).extracting(WatchEvent::type).containsExactly("opened", "exposed");
      assertThat(stored).allMatch(e -> e.id() > 0);

      assertThat(w.events(new WatchStore.EventQuery(T, Set.of("exposed"), null, 0)))
          .extracting(WatchEvent::message)
          .containsExactly(
              "exposed to the network: tcp 0.0.0.0:8080 (nc (pid 10)) is bound to all"
                  + " interfaces");
      assertThat(w.events(new WatchStore.EventQuery(T.plusSeconds(1), null, null, 0))).isEmpty();
      assertThat(w.events(new WatchStore.EventQuery(null, null, 8080, 1))).hasSize(1);
      assertThat(w.openListeners()).containsExactly(l);
      assertThat(w.lastOwners()).containsKey("tcp/8080");
      assertThat(w.history(8080))
          .singleElement()
          .satisfies(h -> assertThat(h.closed()).isNull())
          .satisfies(h -> assertThat(h.owner().exe()).isEqualTo("/bin/nc"));
    }
  }

  @Test
  void retentionDeletesOnlyWhatIsOlderThanKeep() {
    try (Store s = Store.open(dir.resolve("p.db"))) {
      WatchStore w = new WatchStore(s);
      Instant old = T.minus(Duration.ofDays(40));
      Listener a = EventDetectorTest.tcp("127.0.0.1", 1000, EventDetectorTest.proc(1, "a", "/a"));
      EventDetector d = new EventDetector();
      w.record(d.step(List.of(a), Policy.NONE, old), old);
      w.record(d.step(List.of(), Policy.NONE, old.plusSeconds(1)), old.plusSeconds(1));
      w.record(d.step(List.of(a), Policy.NONE, T), T);
      assertThat(w.prune(Duration.ofDays(30), T)).isEqualTo(3); // 2 events + 1 closed row
      assertThat(w.events(new WatchStore.EventQuery(null, null, null, 0))).hasSize(1);
      assertThat(w.history(1000)).hasSize(1);
    }
  }

  @Test
  void originsAreKeptInEventsHistoryAndOpenListeners() {
    try (Store s = Store.open(dir.resolve("p.db"))) {
      WatchStore w = new WatchStore(s);
      Origin db =
          Origin.of(
              OriginKind.CONTAINER, "db", "image", "postgres:16", "containerPort", "5432/tcp");
      Listener plain =
          EventDetectorTest.tcp(
              "127.0.0.1", 15432, EventDetectorTest.proc(7, "docker-proxy", "/d"));
      Listener l =
          new Listener(
              plain.protocol(),
              plain.address(),
              plain.port(),
              plain.scope(),
              plain.inode(),
              plain.owner(),
              db);
      w.record(opened(l, T), T);

      WatchEvent back = w.events(new WatchStore.EventQuery(null, null, 15432, 0)).getFirst();
      assertThat(back.origin()).isEqualTo(db);
      assertThat(back.message()).endsWith("for container db (postgres:16) port 5432/tcp)");
      assertThat(w.history(15432))
          .singleElement()
          .satisfies(h -> assertThat(h.origin()).isEqualTo(db));
      assertThat(w.openListeners())
          .singleElement()
          .satisfies(o -> assertThat(o.origin()).isEqualTo(db));
      assertThat(
              s.query(
                  "SELECT origin_kind || ' ' || origin_name FROM watch_events",
                  rs -> rs.getString(1)))
          .containsExactly("container db");
      assertThat(
              s.query(
                  "SELECT origin_kind || ' ' || origin_name FROM listener_history",
                  rs -> rs.getString(1)))
          .containsExactly("container db");
    }
  }

  @Test
  void rowsFromBeforeOriginsReadBackWithoutOne() {
    Path file = dir.resolve("p.db");
    List<Migration> before =
        Migrations.fromClasspath().stream().filter(m -> m.version() <= 6).toList();
    try (Store v6 = Store.open(file, before)) {
      v6.execute(
          "INSERT INTO listener_history(protocol, address, port, scope, inode, opened_ms)"
              + " VALUES ('tcp', '127.0.0.1', 4000, 'loopback', 1, 0)");
    }
    try (Store latest = Store.open(file)) {
      assertThat(new WatchStore(latest).history(4000))
          .singleElement()
          .satisfies(h -> assertThat(h.origin()).isNull());
    }
  }
}
