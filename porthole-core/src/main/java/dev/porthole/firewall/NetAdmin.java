package dev.porthole.firewall;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Returns whether this process may change packet filter rules: root, or CAP_NET_ADMIN. */
public final class NetAdmin {
  private static final int CAP_NET_ADMIN = 12;

  private NetAdmin() {}

  /** Returns true when the effective capabilities of this process include CAP_NET_ADMIN. */
  public static boolean permitted() {
    return permitted(Path.of("/proc/self/status"));
  }

  /** Returns true when the {@code CapEff} line of {@code status} has CAP_NET_ADMIN. */
  static boolean permitted(Path status) {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("CapEff:")) {
          long caps = Long.parseUnsignedLong(line.substring(7).strip(), 16);
          return (caps & (1L << CAP_NET_ADMIN)) != 0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // no /proc (not Linux): the filter command itself will say no
    }
    return false;
  }
}
