package dev.porthole.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class StoreTest {
  @TempDir Path dir;

  @Test
  void migratesAnEmptyFileToTheNewestVersion() {
    List<Migration> all = Migrations.fromClasspath();
    assertThat(all).extracting(Migration::version).startsWith(1, 2).isSorted();
    try (Store store = Store.open(dir.resolve("p.db"))) {
      assertThat(store.schemaVersion()).isEqualTo(all.getLast().version());
      assertThat(store.query("PRAGMA journal_mode", rs -> rs.getString(1))).containsExactly("wal");
      assertThat(
              store.query(
                  "SELECT name FROM schema_version ORDER BY version", rs -> rs.getString(1)))
          .startsWith("base", "proxies");
      store.execute("INSERT INTO proxies VALUES (?, ?, ?, ?, ?, ?)", "a", "tcp", "l", "u", 1, 0);
    }
  }

  @Test
  void migratesAFileFromAPreviousVersionAndKeepsItsData() {
    List<Migration> all = Migrations.fromClasspath();
    Path file = dir.resolve("p.db");
    try (Store v1 = Store.open(file, all.subList(0, 1))) {
      assertThat(v1.schemaVersion()).isEqualTo(1);
      v1.execute("INSERT INTO meta(key, value) VALUES ('kept', 'yes')");
    }
    try (Store latest = Store.open(file)) {
      assertThat(latest.schemaVersion()).isEqualTo(all.getLast().version());
      assertThat(latest.query("SELECT value FROM meta WHERE key = 'kept'", rs -> rs.getString(1)))
          .containsExactly("yes");
      assertThat(latest.query("SELECT count(*) FROM proxies", rs -> rs.getInt(1)))
          .containsExactly(0);
    }
  }

  @Test
  void reopeningAppliesNothingTwice() {
    Path file = dir.resolve("p.db");
    Store.open(file).close();
    try (Store again = Store.open(file)) {
      assertThat(again.query("SELECT count(*) FROM schema_version", rs -> rs.getInt(1)))
          .containsExactly(Migrations.fromClasspath().size());
    }
  }

  @Test
  void aStepMissingBelowTheNewestIsStillApplied() {
    // A database migrated on a branch that had V1 and V3 gets V2 once main brings it.
    Path file = dir.resolve("p.db");
    Migration one = new Migration(1, "one", "CREATE TABLE a (x INTEGER);");
    Migration two = new Migration(2, "two", "CREATE TABLE b (x INTEGER);");
    Migration three = new Migration(3, "three", "CREATE TABLE c (x INTEGER);");
    Store.open(file, List.of(one, three)).close();
    try (Store store = Store.open(file, List.of(one, two, three))) {
      assertThat(
              store.query(
                  "SELECT version FROM schema_version ORDER BY version", rs -> rs.getInt(1)))
          .containsExactly(1, 2, 3);
      assertThat(store.query("SELECT name FROM sqlite_master WHERE name = 'b'", rs -> 1))
          .containsExactly(1);
    }
  }

  @Test
  void aFailingMigrationLeavesNothingHalfApplied() {
    Path file = dir.resolve("p.db");
    List<Migration> steps =
        List.of(
            new Migration(1, "ok", "CREATE TABLE a (x INTEGER);"),
            new Migration(2, "bad", "CREATE TABLE b (x INTEGER);\nTHIS IS NOT SQL;"));
    assertThatThrownBy(() -> Store.open(file, steps))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("cannot migrate")
        .hasMessageContaining("V2__bad");
    try (Store store = Store.open(file, steps.subList(0, 1))) {
      assertThat(store.schemaVersion()).isEqualTo(1);
      assertThat(store.query("SELECT name FROM sqlite_master WHERE name = 'b'", rs -> 1)).isEmpty();
    }
  }

  @Test
  void aTransactionThatThrowsChangesNothing() {
    try (Store store = Store.open(dir.resolve("p.db"))) {
      assertThatThrownBy(
              () ->
                  store.transaction(
                      c -> {
                        store.execute("INSERT INTO meta VALUES ('a', 'b')");
                        throw new IllegalStateException("boom");
                      }))
          .hasMessage("boom");
      assertThat(store.query("SELECT count(*) FROM meta", rs -> rs.getInt(1))).containsExactly(0);
    }
  }

  @Test
  void aClosedStoreSaysSo() {
    Store store = Store.open(dir.resolve("p.db"));
    store.close();
    assertThatThrownBy(store::schemaVersion)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageEndingWith("is closed");
  }

  @Test
  void defaultDataDirFollowsThePlatform() {
    assertThat(DataDir.defaultDir(Map.of("XDG_DATA_HOME", "/x/data"), "Linux", "/home/u"))
        .isEqualTo(Path.of("/x/data/porthole"));
    assertThat(DataDir.defaultDir(Map.of(), "Linux", "/home/u"))
        .isEqualTo(Path.of("/home/u/.local/share/porthole"));
    assertThat(DataDir.defaultDir(Map.of(), "Mac OS X", "/Users/u"))
        .isEqualTo(Path.of("/Users/u/Library/Application Support/porthole"));
    assertThat(DataDir.defaultDir(Map.of("LOCALAPPDATA", "C:/L"), "Windows 11", "C:/u"))
        .isEqualTo(Path.of("C:/L", "porthole"));
    assertThat(DataDir.resolve(dir)).isEqualTo(dir.toAbsolutePath());
  }

  @Test
  void anUnwritableDataDirIsAOneLineError() throws Exception {
    Path locked = Files.createDirectory(dir.resolve("locked"));
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      if (Files.isWritable(locked)) {
        // root ignores permissions: a regular file in the way fails for everyone
        locked = Files.writeString(dir.resolve("file"), "x");
      }
      Path target = locked;
      assertThatThrownBy(() -> DataDir.ensureWritable(target.resolve("sub")))
          .isInstanceOf(StoreException.class)
          .hasMessageStartingWith("cannot create data directory " + target.resolve("sub"))
          .hasMessageNotContaining("\n");
    } finally {
      Files.setPosixFilePermissions(
          dir.resolve("locked"), PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }
}
