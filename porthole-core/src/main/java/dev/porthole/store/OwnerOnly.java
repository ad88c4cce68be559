package dev.porthole.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the data directory (0700) and the SQLite files (0600) to their owner: the store holds
 * process command lines, working directories and proxied traffic.
 *
 * <p>A path that is looser is tightened, with a warning naming what it was. On a file system
 * without POSIX permissions nothing is done.
 */
public final class OwnerOnly {
  private static final Logger LOG = LoggerFactory.getLogger(OwnerOnly.class);
  private static final Set<PosixFilePermission> DIRECTORY =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  /** The suffixes of SQLite's companion files in WAL mode. */
  static final String[] COMPANIONS = {"-wal", "-shm", "-journal"};

  private OwnerOnly() {}

  /** Sets {@code dir} to 0700; returns true if it was looser (and says so in the log). */
  public static boolean directory(Path dir) throws IOException {
    return tighten(dir, DIRECTORY, "data directory");
  }

  /**
   * Creates {@code db} empty with mode 0600 if missing, so SQLite (which gives its WAL and SHM
   * files the database's mode) never creates any of them readable by others; tightens it and its
   * companion files if they exist and are looser. Returns how many paths were tightened.
   */
  public static int database(Path db) throws IOException {
    if (!posix(db.toAbsolutePath().getParent())) {
      return 0;
    }
    if (!Files.exists(db)) {
      try {
        Files.createFile(db, PosixFilePermissions.asFileAttribute(FILE));
      } catch (java.nio.file.FileAlreadyExistsException raced) {
        // another process created it: checked below like any existing file
      }
    }
    int tightened = tighten(db, FILE, "database") ? 1 : 0;
    for (String suffix : COMPANIONS) {
      Path companion = db.resolveSibling(db.getFileName() + suffix);
      if (Files.exists(companion) && tighten(companion, FILE, "database file")) {
        tightened++;
      }
    }
    return tightened;
  }

  private static boolean tighten(Path path, Set<PosixFilePermission> wanted, String what)
      throws IOException {
    if (!posix(path)) {
      return false;
    }
    Set<PosixFilePermission> now = Files.getPosixFilePermissions(path);
    if (wanted.containsAll(now) && now.containsAll(wanted)) {
      return false;
    }
    Files.setPosixFilePermissions(path, wanted);
    if (!wanted.containsAll(now)) {
      LOG.warn(
          "{} {} was {}: tightened to {} (it holds command lines and traffic)",
          what,
          path,
          PosixFilePermissions.toString(now),
          PosixFilePermissions.toString(wanted));
      return true;
    }
    return false; // it was stricter than needed (say 0500): now usable, nothing was exposed
  }

  private static boolean posix(Path path) {
    return path != null && path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
