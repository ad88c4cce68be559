package dev.porthole.ports;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Returns the kernel's range of ports for outgoing connections ({@code
 * /proc/sys/net/ipv4/ip_local_port_range}). A listener on a port inside it can find the port taken
 * by any outgoing connection.
 *
 * @param known false when the file could not be read and Linux's default is assumed
 */
public record EphemeralRange(int first, int last, boolean known) {
  /** Linux's default, used when the kernel's value cannot be read. */
  public static final EphemeralRange LINUX_DEFAULT = new EphemeralRange(32768, 60999, false);

  public EphemeralRange {
    if (first < 1 || last > 65535 || first > last) {
      throw new IllegalArgumentException(
          "range: " + first + "-" + last + " (expected: 1 <= first <= last <= 65535)");
    }
  }

  /** Returns this machine's range. */
  public static EphemeralRange system() {
    return read(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
  }

  /** Returns the range in {@code file}, or {@link #LINUX_DEFAULT} when it cannot be read. */
  public static EphemeralRange read(Path file) {
    try {
      // Not Files.readString: on some kernels it gets one byte of this size-0 sysctl file.
      String line;
      try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
        line = reader.readLine();
      }
      String[] parts = line.trim().split("\\s+");
      return new EphemeralRange(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), true);
    } catch (IOException | RuntimeException e) {
      return LINUX_DEFAULT;
    }
  }

  /** Returns true when {@code port} lies inside the range. */
  public boolean contains(int port) {
    return port >= first && port <= last;
  }
}
