package dev.porthole.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The data directory is 0700 and porthole.db, its WAL and SHM files 0600, new or tightened. */
@Timeout(30)
class FileModesTest {
  @TempDir Path parent;

  @Test
  void aNewStoreIsOwnerOnly() throws IOException {
    Path dir = DataDir.ensureWritable(parent.resolve("data"));
    try (Store store = Store.open(dir.resolve(DataDir.DATABASE))) {
      store.execute("CREATE TABLE t (x)");
      store.execute("INSERT INTO t VALUES (1)");
      assertThat(mode(dir)).isEqualTo("rwx------");
      assertThat(mode(dir.resolve("porthole.db"))).isEqualTo("rw-------");
      assertThat(dir.resolve("porthole.db-wal")).exists();
      assertThat(mode(dir.resolve("porthole.db-wal"))).isEqualTo("rw-------");
      assertThat(mode(dir.resolve("porthole.db-shm"))).isEqualTo("rw-------");
    }
  }

  @Test
  void looserFilesAndDirectoriesAreTightened() throws IOException {
    Path dir = parent.resolve("loose");
    Files.createDirectory(dir);
    Path db = dir.resolve(DataDir.DATABASE);
    try (Store store = Store.open(db)) {
      store.execute("CREATE TABLE t (x)");
    }
    Files.writeString(dir.resolve("porthole.db-wal"), ""); // as a crash leaves it
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(
        dir.resolve("porthole.db-wal"), PosixFilePermissions.fromString("rw-rw-rw-"));

    assertThat(OwnerOnly.directory(dir, true)).isTrue();
    assertThat(OwnerOnly.database(db, true)).isEqualTo(2);
    assertThat(mode(dir.resolve("porthole.db-wal"))).isEqualTo("rw-------");
    assertThat(OwnerOnly.database(db, true)).as("already tight: no second warning").isZero();

    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-rw-r--"));
    DataDir.ensureWritable(dir);
    try (Store store = Store.open(db)) {
      assertThat(store.schemaVersion()).isPositive();
    }
    assertThat(mode(dir)).isEqualTo("rwx------");
    assertThat(mode(db)).isEqualTo("rw-------");
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
