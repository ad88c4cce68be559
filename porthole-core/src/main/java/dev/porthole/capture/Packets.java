package dev.porthole.capture;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * Returns Ethernet frames carrying one TCP segment over IPv4 or IPv6, with correct lengths and
 * checksums, as a capture of the loopback interface would show them.
 */
final class Packets {
  static final int FIN = 0x01;
  static final int SYN = 0x02;
  static final int RST = 0x04;
  static final int PSH = 0x08;
  static final int ACK = 0x10;

  private Packets() {}

  /** Returns one frame from {@code src}:{@code sp} to {@code dst}:{@code dp}. */
  static byte[] tcp(
      InetAddress src,
      int sp,
      InetAddress dst,
      int dp,
      long seq,
      long ack,
      int flags,
      byte[] data,
      int off,
      int len) {
    boolean v6 = src instanceof Inet6Address;
    byte[] segment = segment(sp, dp, seq, ack, flags, data, off, len);
    byte[] s = src.getAddress();
    byte[] d = dst.getAddress();
    int ipHeader = v6 ? 40 : 20;
    ByteBuffer b = ByteBuffer.allocate(14 + ipHeader + segment.length);
    b.put(new byte[12]); // destination and source MAC: loopback has none
    b.putShort((short) (v6 ? 0x86dd : 0x0800));
    if (v6) {
      b.putInt(6 << 28).putShort((short) segment.length).put((byte) 6).put((byte) 64);
      b.put(s).put(d);
    } else {
      int start = b.position();
      b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + segment.length));
      b.putShort((short) 0).putShort((short) 0x4000); // id 0, don't fragment
      b.put((byte) 64).put((byte) 6).putShort((short) 0).put(s).put(d);
      b.putShort(start + 10, (short) checksum(b.array(), start, 20, 0));
    }
    long pseudo = sum(s) + sum(d) + 6 + segment.length;
    int tcpSum = checksum(segment, 0, segment.length, pseudo);
    segment[16] = (byte) (tcpSum >> 8);
    segment[17] = (byte) tcpSum;
    b.put(segment);
    return b.array();
  }

  private static byte[] segment(
      int sp, int dp, long seq, long ack, int flags, byte[] data, int off, int len) {
    ByteBuffer t = ByteBuffer.allocate(20 + len);
    t.putShort((short) sp).putShort((short) dp).putInt((int) seq).putInt((int) ack);
    t.put((byte) (5 << 4)).put((byte) flags).putShort((short) 65535); // window
    t.putShort((short) 0).putShort((short) 0); // checksum (filled later), urgent pointer
    if (len > 0) {
      t.put(data, off, len);
    }
    return t.array();
  }

  private static long sum(byte[] b) {
    long s = 0;
    for (int i = 0; i + 1 < b.length; i += 2) {
      s += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }
    return s;
  }

  /** Returns the Internet checksum (RFC 1071) of {@code len} bytes plus {@code initial}. */
  static int checksum(byte[] b, int off, int len, long initial) {
    long s = initial;
    for (int i = 0; i < len; i += 2) {
      int hi = b[off + i] & 0xff;
      int lo = i + 1 < len ? b[off + i + 1] & 0xff : 0;
      s += (hi << 8) | lo;
    }
    while ((s >> 16) != 0) {
      s = (s & 0xffff) + (s >> 16);
    }
    return (int) (~s & 0xffff);
  }
}
