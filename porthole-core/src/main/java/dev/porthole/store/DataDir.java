package dev.porthole.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Returns where porthole keeps its data: {@code --data-dir} if given, else the platform's user data
 * directory.
 *
 * <ul>
 *   <li>Linux and other Unix: {@code $XDG_DATA_HOME/porthole}, else {@code ~/.local/share/porthole}
 *   <li>macOS: {@code ~/Library/Application Support/porthole}
 *   <li>Windows: {@code %LOCALAPPDATA%\porthole}
 * </ul>
 */
public final class DataDir {
  /** The SQLite file inside the data directory. */
  public static final String DATABASE = "porthole.db";

  private DataDir() {}

  /** Returns {@code explicit} if not null, else the default for this user and platform. */
  public static Path resolve(Path explicit) {
    if (explicit != null) {
      return explicit.toAbsolutePath().normalize();
    }
    return defaultDir(
        System.getenv(), System.getProperty("os.name"), System.getProperty("user.home"));
  }

  /** Returns the default data directory for the given environment (testable without a platform). */
  static Path defaultDir(Map<String, String> env, String osName, String home) {
    String os = osName == null ? "" : osName.toLowerCase(Locale.ROOT);
    if (os.startsWith("windows")) {
      String local = env.get("LOCALAPPDATA");
      return local != null && !local.isBlank()
          ? Path.of(local, "porthole")
          : Path.of(home, "AppData", "Local", "porthole");
    }
    if (os.startsWith("mac")) {
      return Path.of(home, "Library", "Application Support", "porthole");
    }
    String xdg = env.get("XDG_DATA_HOME");
    if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
      return Path.of(xdg, "porthole");
    }
    return Path.of(home, ".local", "share", "porthole");
  }

  /**
   * Creates {@code dir} if needed and checks that porthole can write there.
   *
   * @throws StoreException with a one-line reason when it cannot
   */
  public static Path ensureWritable(Path dir) {
    boolean existed = Files.isDirectory(dir);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StoreException("cannot create data directory " + dir + ": " + reason(e), e);
    }
    if (!Files.isDirectory(dir)) {
      throw new StoreException("data directory " + dir + " is not a directory");
    }
    try {
      OwnerOnly.directory(dir, existed);
    } catch (IOException e) {
      throw new StoreException(
          "cannot make data directory " + dir + " owner-only (0700): " + reason(e), e);
    }
    try {
      Path probe = Files.createTempFile(dir, ".probe", ".tmp");
      Files.delete(probe);
    } catch (IOException e) {
      throw new StoreException("data directory " + dir + " is not writable: " + reason(e), e);
    }
    return dir;
  }

  private static String reason(IOException e) {
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.FileAlreadyExistsException) {
      return "a file is in the way";
    }
    if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
      return f.getReason().toLowerCase(java.util.Locale.ROOT); // strerror: "read-only file system"
    }
    if (e instanceof java.nio.file.NoSuchFileException f && f.getFile() != null) {
      // The JDK names only the path; say where creating stopped.
      Path at = Path.of(f.getFile()).toAbsolutePath();
      Path existing = at.getParent();
      while (existing != null && !Files.exists(existing)) {
        existing = existing.getParent();
      }
      return existing == null
          ? "no such file or directory"
          : existing + " does not let a directory be created in it (no such file or directory)";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
