package dev.porthole.sockets;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.nio.ByteBuffer;

/**
 * Binds the four libc calls a netlink socket needs, through JNA's direct mapping (for {@link
 * JnaNetlink}: Java 21's FFM is a preview). Each call throws {@link LastErrorException} with the
 * errno when it fails.
 */
final class NetlinkCalls {
  static {
    Native.register(NetlinkCalls.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
  }

  private NetlinkCalls() {}

  static native int socket(int domain, int type, int protocol) throws LastErrorException;

  static native long sendto(int fd, byte[] buf, long len, int flags, byte[] addr, int addrLen)
      throws LastErrorException;

  static native long recv(int fd, ByteBuffer buf, long len, int flags) throws LastErrorException;

  static native int close(int fd) throws LastErrorException;
}
