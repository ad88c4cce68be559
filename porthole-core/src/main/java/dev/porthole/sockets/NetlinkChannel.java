package dev.porthole.sockets;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Returns a netlink {@code sock_diag} socket: the four libc calls {@link SockDiag} makes, through
 * the FFM API on JDK 22 and later ({@code FfmNetlink}, src/main/java22) or JNA ({@link
 * JnaNetlink}). The JDK opens no {@code AF_NETLINK} socket of its own. Not thread-safe: {@link
 * SockDiag} serialises its calls.
 */
interface NetlinkChannel extends AutoCloseable {
  int AF_NETLINK = 16;
  int SOCK_DGRAM = 2;
  int SOCK_CLOEXEC = 0x80000;
  int NETLINK_SOCK_DIAG = 4;
  int EINTR = 4;

  /** Sends {@code request} to the kernel (netlink address pid 0). */
  void send(byte[] request) throws IOException;

  /**
   * Receives one datagram into the direct buffer {@code into} from 0 to its capacity, retrying on a
   * signal; returns its length.
   */
  int receive(ByteBuffer into) throws IOException;

  /** Returns how the calls are made, for people: "FFM" or "JNA". */
  String via();

  @Override
  void close();

  /**
   * Opens a sock_diag socket: through FFM where it is available, else through JNA when {@code
   * jna}.
   *
   * @throws IOException when netlink cannot be used this way here (no FFM and JNA not allowed, no
   *     JNA native library, a kernel without sock_diag, a seccomp filter)
   */
  static NetlinkChannel open(boolean jna) throws IOException {
    IOException ffm = null;
    if (ffmAvailable()) {
      try {
        return openFfm();
      } catch (IOException e) {
        ffm = e;
      }
    }
    if (!jna) {
      throw ffm != null ? ffm : new IOException("netlink without JNA needs JDK 22+ on Linux");
    }
    return JnaNetlink.open();
  }

  /** Opens the socket through the FFM API (JDK 22 and later, Linux on x86-64 or arm64). */
  static NetlinkChannel openFfm() throws IOException {
    if (!ffmAvailable()) {
      throw new IOException("the FFM API needs JDK 22+ on Linux x86-64 or arm64");
    }
    try {
      return (NetlinkChannel)
          Class.forName("dev.porthole.sockets.FfmNetlink").getDeclaredMethod("open").invoke(null);
    } catch (java.lang.reflect.InvocationTargetException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException("netlink through FFM: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException | LinkageError e) {
      // A jar built without the Java 22 classes, or native access denied.
      throw new IOException("netlink through FFM unavailable: " + e, e);
    }
  }

  /** Returns true where the FFM path can run: Linux on x86-64 or arm64, JDK 22 or later. */
  static boolean ffmAvailable() {
    String arch = System.getProperty("os.arch", "");
    return Runtime.version().feature() >= 22
        && System.getProperty("os.name", "").equals("Linux")
        && (arch.equals("amd64") || arch.equals("aarch64"));
  }
}
