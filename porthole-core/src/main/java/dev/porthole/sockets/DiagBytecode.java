package dev.porthole.sockets;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Compiles a span of local ports into the kernel's sock_diag filter program ({@code
 * INET_DIAG_REQ_BYTECODE}, linux/inet_diag.h), encoded as {@code ss} encodes {@code sport = :P} and
 * {@code sport >= :A and sport <= :B}. The kernel runs it on every socket of the dump and sends
 * (and formats) only the sockets it accepts: "who holds 22" on a machine with 50,000 TIME_WAIT
 * sockets then costs the kernel a comparison per socket, not a record.
 *
 * <p>A program is a list of 4-byte ops {@code {u8 code, u8 yes, u16 no}}; each condition jumps
 * {@code yes} bytes when true and {@code no} when false. A socket is accepted when the jumps land
 * exactly at the program's end, rejected when they land 4 bytes past it.
 */
final class DiagBytecode {
  /** The netlink attribute type of a filter program after {@code inet_diag_req_v2}. */
  static final short INET_DIAG_REQ_BYTECODE = 1;

  private static final int BC_S_GE = 2;
  private static final int BC_S_LE = 3;
  private static final int BC_S_COND = 7;

  private DiagBytecode() {}

  /** Returns the program accepting local ports {@code first} to {@code last}, ends included. */
  static byte[] localPorts(int first, int last) {
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
    if (first == last) {
      // S_COND: an inet_diag_hostcond {family AF_UNSPEC, prefix 0, int port} and ss's 4 bytes of
      // (empty) address; with no address the kernel compares the port alone.
      op(b, BC_S_COND, 16, 20);
      b.put((byte) 0).put((byte) 0).putShort((short) 0).putInt(first).putInt(0);
    } else {
      // Each comparison is an op and a second op whose "no" field holds the port.
      op(b, BC_S_GE, 8, 20);
      op(b, 0, 0, first);
      op(b, BC_S_LE, 8, 12);
      op(b, 0, 0, last);
    }
    return b.array();
  }

  private static void op(ByteBuffer b, int code, int yes, int no) {
    b.put((byte) code).put((byte) yes).putShort((short) no);
  }
}
