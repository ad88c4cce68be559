package dev.porthole.sockets;

import java.net.InetAddress;

/** Returns who can reach a socket, judged by the address it is bound to. */
public enum BindScope {
  /** Bound to 127.0.0.0/8 or ::1: only this machine can connect. */
  LOOPBACK,
  /** Bound to 0.0.0.0 or ::: every interface, so the whole network can connect. */
  ALL_INTERFACES,
  /** Bound to one non-loopback address: reachable through that interface only. */
  SPECIFIC;

  /** Returns the scope of a socket bound to {@code address}. */
  public static BindScope of(InetAddress address) {
    if (address.isAnyLocalAddress()) {
      return ALL_INTERFACES;
    }
    return address.isLoopbackAddress() ? LOOPBACK : SPECIFIC;
  }

  /** Returns the lower-case label used in tables and JSON ("loopback", "all", "specific"). */
  public String label() {
    return switch (this) {
      case LOOPBACK -> "loopback";
      case ALL_INTERFACES -> "all";
      case SPECIFIC -> "specific";
    };
  }
}
