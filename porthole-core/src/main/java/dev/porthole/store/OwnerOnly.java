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

  /**
   * Sets {@code dir} to 0700; returns true if it was looser.
   *
   * @param warn whether to say so in the log (false for a directory just created)
   */
  public static boolean directory(Path dir, boolean warn) throws IOException {
    return tighten(dir, DIRECTORY, "data directory", warn);
  }

  /**
   * Sets {@code db} and its companion files, where they exist, to 0600; returns how many were
   * looser. The store calls it before SQLite opens the file and again right after (SQLite gives
   * its WAL and SHM files the database's mode), before anything is written: the database is not
   * created here, because an empty file that appears before its schema would let a second process
   * migrate it at the same time. The data directory is 0700 by then anyway.
   *
   * @param warn whether a looser mode is news (false for files SQLite has just created)
   */
  public static int database(Path db, boolean warn) throws IOException {
    if (!Files.exists(db)) {
      return 0;
    }
    int tightened = tighten(db, FILE, "database", warn) ? 1 : 0;
    for (String suffix : COMPANIONS) {
      Path companion = db.resolveSibling(db.getFileName() + suffix);
      if (Files.exists(companion) && tighten(companion, FILE, "database file", warn)) {
        tightened++;
      }
    }
    return tightened;
  }

  private static boolean tighten(
      Path path, Set<PosixFilePermission> wanted, String what, boolean warn) throws IOException {
    if (!posix(path)) {
      return false;
    }
    Set<PosixFilePermission> now = Files.getPosixFilePermissions(path);
    if (wanted.containsAll(now) && now.containsAll(wanted)) {
      return false;
    }
    Files.setPosixFilePermissions(path, wanted);
    if (!wanted.containsAll(now)) {
      if (!warn) {
        return true;
      }
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
