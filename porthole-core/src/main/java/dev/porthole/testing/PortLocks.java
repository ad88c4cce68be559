package dev.porthole.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Returns locks on port numbers shared by every JVM of the machine: one lock file per port under
 * {@code <java.io.tmpdir>/porthole-ports/}, locked with {@link FileChannel#tryLock()} while the
 * port is reserved. The kernel drops a lock when its process dies, so a killed test JVM leaves
 * nothing behind. File locks belong to the whole JVM, so a set of the ports this JVM holds keeps
 * its own threads apart.
 */
final class PortLocks {
  // JVM-wide by nature: a file lock is owned by the process, not by any object in it.
  private static final Set<Integer> HELD_HERE = ConcurrentHashMap.newKeySet();
  private static final Path DIR = Path.of(System.getProperty("java.io.tmpdir"), "porthole-ports");

  private PortLocks() {}

  /** Returns the lock on {@code port}, or null when this or another JVM holds it. */
  static Lock tryLock(int port) {
    if (!HELD_HERE.add(port)) {
      return null;
    }
    FileChannel channel = null;
    try {
      Files.createDirectories(DIR);
      // The files are never deleted: deleting one while another JVM opens it splits the lock.
      channel =
          FileChannel.open(
              DIR.resolve(port + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        HELD_HERE.remove(port);
        return null;
      }
      return new Lock(port, channel);
    } catch (IOException | OverlappingFileLockException e) {
      closeQuietly(channel);
      HELD_HERE.remove(port);
      if (e instanceof IOException io) {
        throw new UncheckedIOException("cannot lock port " + port + " under " + DIR, io);
      }
      return null;
    }
  }

  /** Returns the folder of the lock files. */
  static Path directory() {
    return DIR;
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // Closing a channel we failed to lock: nothing is held, nothing to report.
      }
    }
  }

  /** Returns one held lock; {@link #close()} lets other JVMs and threads take the port. */
  static final class Lock implements AutoCloseable {
    private final int port;
    private final FileChannel channel;
    private boolean closed;

    private Lock(int port, FileChannel channel) {
      this.port = port;
      this.channel = channel;
    }

    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      closeQuietly(channel); // releases the file lock
      HELD_HERE.remove(port);
    }
  }
}
