package dev.porthole.ports;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * Returns one worker's share of a scan made with system calls straight into libc (the FFM API, JDK
 * 22 and later): a closed port costs two calls to {@code connect} on a socket that is reused for
 * the next port, and connects the kernel has not settled wait on one epoll set.
 *
 * <p>The implementation, {@code EpollScan}, is compiled for Java 22 (src/main/java22) and loaded by
 * name, so the jar still runs on JDK 21, where {@link #open} says no and the scanner uses NIO.
 */
interface DirectScan extends AutoCloseable {
  /** Returns what one share showed; {@code limit} is the concurrency it ended with. */
  record Share(List<Integer> open, int filtered, int limit, List<String> notes) {}

  /**
   * Returns the share's outcome.
   *
   * @param ports the ports to try, in order
   * @param limit the most connects in flight at once
   * @param tick called once per port settled, from this thread
   * @throws IOException when a system call fails in a way that is not a port's answer
   */
  Share scan(int[] ports, int limit, Runnable tick) throws IOException;

  @Override
  void close();

  /**
   * Returns a scan of {@code host}, or null where the JDK, the OS or the CPU has no direct path.
   */
  static DirectScan open(InetAddress host, Duration timeout, IntSupplier done) {
    if (!available()) {
      return null;
    }
    try {
      return (DirectScan)
          Class.forName("dev.porthole.ports.EpollScan")
              .getDeclaredConstructor(InetAddress.class, Duration.class, IntSupplier.class)
              .newInstance(host, timeout, done);
    } catch (ReflectiveOperationException | LinkageError e) {
      return null; // a jar built without the Java 22 classes: NIO does the work
    }
  }

  /** Returns true where the direct path can run: Linux on x86-64 or arm64, JDK 22 or later. */
  static boolean available() {
    String arch = System.getProperty("os.arch", "");
    return Runtime.version().feature() >= 22
        && System.getProperty("os.name", "").equals("Linux")
        && (arch.equals("amd64") || arch.equals("aarch64"));
  }
}
