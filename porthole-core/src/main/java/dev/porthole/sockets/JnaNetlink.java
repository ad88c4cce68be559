package dev.porthole.sockets;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Returns a netlink socket whose calls go through JNA ({@link NetlinkCalls}): JDK 21's way. */
final class JnaNetlink implements NetlinkChannel {
  // sockaddr_nl of the kernel: family, pad, pid 0, groups 0.
  private static final byte[] KERNEL = kernelAddress();

  private final int fd;

  private JnaNetlink(int fd) {
    this.fd = fd;
  }

  static JnaNetlink open() throws IOException {
    try {
      return new JnaNetlink(
          NetlinkCalls.socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG));
    } catch (LastErrorException e) {
      throw new IOException("netlink sock_diag socket: errno " + e.getErrorCode(), e);
    } catch (LinkageError | RuntimeException e) {
      // No libjnidispatch for this platform, or JNA refused to load (a read-only temp dir).
      throw new IOException("netlink unavailable: " + e, e);
    }
  }

  @Override
  public void send(byte[] request) throws IOException {
    try {
      NetlinkCalls.sendto(fd, request, request.length, 0, KERNEL, KERNEL.length);
    } catch (LastErrorException e) {
      throw new IOException("netlink sock_diag: errno " + e.getErrorCode(), e);
    }
  }

  @Override
  public int receive(ByteBuffer into) throws IOException {
    while (true) {
      try {
        return (int) NetlinkCalls.recv(fd, into.clear(), into.capacity(), 0);
      } catch (LastErrorException e) {
        if (e.getErrorCode() != EINTR) {
          throw new IOException("netlink sock_diag: errno " + e.getErrorCode(), e);
        }
      }
    }
  }

  @Override
  public String via() {
    return "JNA";
  }

  @Override
  public void close() {
    NetlinkCalls.close(fd);
  }

  private static byte[] kernelAddress() {
    ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder());
    b.putShort((short) AF_NETLINK);
    return b.array();
  }
}
