package dev.porthole.routing;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Returns whether this process may bind ports below 1024 on Linux, and the one command that would
 * allow it: root, {@code CAP_NET_BIND_SERVICE} in the effective set, or {@code
 * net.ipv4.ip_unprivileged_port_start} low enough. Read from /proc (root path injectable for
 * fixtures); porthole never runs the command itself.
 *
 * @param uid the effective user id, or -1 when unknown
 * @param effectiveCaps the CapEff mask, or null when unknown
 * @param unprivilegedStart the lowest port anyone may bind (Linux default 1024)
 */
public record BindPrivilege(int uid, BigInteger effectiveCaps, int unprivilegedStart) {
  private static final int CAP_NET_BIND_SERVICE = 10;

  /** Returns this process's privilege, read from /proc. */
  public static BindPrivilege current() {
    return read(Path.of("/"));
  }

  /** Returns the privilege read under {@code root} ({@code proc/self/status}, the sysctl). */
  public static BindPrivilege read(Path root) {
    int uid = -1;
    BigInteger caps = null;
    try {
      for (String line : Files.readAllLines(root.resolve("proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          uid = Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
        } else if (line.startsWith("CapEff:")) {
          caps = new BigInteger(line.substring(7).trim(), 16);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux, or /proc hidden: unknown, so ports below 1024 are not assumed to work.
    }
    int start = 1024;
    try {
      start =
          Integer.parseInt(
              Files.readString(root.resolve("proc/sys/net/ipv4/ip_unprivileged_port_start"))
                  .trim());
    } catch (IOException | RuntimeException e) {
      // Older kernels have no such sysctl: 1024.
    }
    return new BindPrivilege(uid, caps, start);
  }

  /** Returns whether {@code port} may be bound by this process. */
  public boolean allows(int port) {
    return port == 0
        || port >= unprivilegedStart
        || uid == 0
        || (effectiveCaps != null && effectiveCaps.testBit(CAP_NET_BIND_SERVICE));
  }

  /** Returns the command that would let {@code java} bind 80 and 443 (never run by porthole). */
  public static String howToAllow(Path java) {
    return "sudo setcap cap_net_bind_service=+ep "
        + java
        + "   (or for every program: sudo sysctl net.ipv4.ip_unprivileged_port_start=80)";
  }

  /** Returns the running JVM's {@code java} executable, its real path when it can be resolved. */
  public static Path javaExecutable() {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    try {
      return java.toRealPath();
    } catch (IOException e) {
      return java;
    }
  }
}
