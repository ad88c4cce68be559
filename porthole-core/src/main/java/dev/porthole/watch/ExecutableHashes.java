package dev.porthole.watch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Returns the SHA-256 of executables, cached by path, size and modification time.
 *
 * <p>Hashing reads the file through {@code /proc/PID/exe}, which opens the binary the process runs
 * even when the path on disk was replaced or deleted since. A changed size or mtime means another
 * binary, so it is hashed again. The cache keeps the most recent {@value #CAPACITY} entries.
 */
public final class ExecutableHashes {
  private static final int CAPACITY = 512;
  private static final long MAX_BYTES = 512L * 1024 * 1024;

  private record Key(String path, long size, long mtime) {}

  private final Map<Key, String> cache =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, String> eldest) {
          return size() > CAPACITY;
        }
      };
  private int computed;

  /**
   * Returns the hex SHA-256 of the file {@code open} (e.g. {@code /proc/PID/exe}) known as {@code
   * path}, or null when it cannot be read or is larger than 512 MiB.
   */
  public synchronized String sha256(Path open, String path) {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(open, BasicFileAttributes.class);
    } catch (IOException e) {
      return null;
    }
    if (attrs.size() > MAX_BYTES) {
      return null;
    }
    Key key = new Key(path, attrs.size(), attrs.lastModifiedTime().toMillis());
    String hash = cache.get(key);
    if (hash == null) {
      hash = compute(open);
      if (hash != null) {
        cache.put(key, hash);
      }
    }
    return hash;
  }

  /** Returns how many files were hashed (not served from the cache): for tests and benchmarks. */
  public synchronized int computed() {
    return computed;
  }

  private String compute(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[64 * 1024];
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
      computed++;
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      return null;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from this JDK", e);
    }
  }
}
