package dev.porthole.sockets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Returns how many TCP and UDP sockets the kernel's tables hold, from {@code /proc/net/sockstat}
 * and {@code sockstat6}: the "inuse" counts plus TIME_WAIT ("tw"), the lines {@code /proc/net/tcp}
 * would print. Two reads of a few hundred bytes, where the tables themselves are ~150 bytes a
 * socket: a cheap hint of what reading the text would cost.
 */
final class SocketCount {
  private SocketCount() {}

  /** Returns the sockets counted under {@code procRoot}, or -1 when sockstat is unreadable. */
  static long of(Path procRoot) {
    try {
      long v4 = count(read(procRoot.resolve("net/sockstat")), "TCP:", "UDP:");
      Path v6 = procRoot.resolve("net/sockstat6"); // absent where IPv6 is disabled
      return v4 + (Files.exists(v6) ? count(read(v6), "TCP6:", "UDP6:") : 0);
    } catch (IOException | RuntimeException e) {
      return -1; // no sockstat (not Linux, a sandbox): no hint
    }
  }

  private static String read(Path file) throws IOException {
    return new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
  }

  /**
   * Returns the sum of "inuse" and "tw" on the lines that start with {@code tcp} and {@code udp}.
   */
  static long count(String sockstat, String tcp, String udp) {
    long total = 0;
    for (String line : sockstat.split("\n")) {
      if (line.startsWith(tcp) || line.startsWith(udp)) {
        String[] words = line.trim().split(" +");
        for (int i = 1; i + 1 < words.length; i += 2) {
          if (words[i].equals("inuse") || words[i].equals("tw")) {
            total += Long.parseLong(words[i + 1]);
          }
        }
      }
    }
    return total;
  }
}
