package dev.porthole.server;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Returns request ids in the shape Toxiproxy sends in {@code X-Toxiproxy-Request-Id}: 20 characters
 * of base32hex (an "xid": 4 bytes of seconds, 5 random bytes, 3 bytes of counter).
 */
final class RequestIds {
  static final String HEADER = "X-Toxiproxy-Request-Id";
  private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuv".toCharArray();
  private static final byte[] MACHINE = new byte[5];
  private static final AtomicInteger COUNTER;

  static {
    SecureRandom random = new SecureRandom();
    random.nextBytes(MACHINE);
    COUNTER = new AtomicInteger(random.nextInt());
  }

  private RequestIds() {}

  /** Returns a new id, unique within this process and sortable by time. */
  static String next() {
    byte[] id = new byte[12];
    long seconds = System.currentTimeMillis() / 1000;
    int count = COUNTER.getAndIncrement();
    id[0] = (byte) (seconds >>> 24);
    id[1] = (byte) (seconds >>> 16);
    id[2] = (byte) (seconds >>> 8);
    id[3] = (byte) seconds;
    System.arraycopy(MACHINE, 0, id, 4, 5);
    id[9] = (byte) (count >>> 16);
    id[10] = (byte) (count >>> 8);
    id[11] = (byte) count;
    return encode(id);
  }

  private static String encode(byte[] id) {
    StringBuilder sb = new StringBuilder(20);
    int buffer = 0;
    int bits = 0;
    for (byte b : id) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        sb.append(ALPHABET[(buffer >>> (bits - 5)) & 31]);
        bits -= 5;
      }
    }
    if (bits > 0) {
      sb.append(ALPHABET[(buffer << (5 - bits)) & 31]);
    }
    return sb.toString();
  }
}
