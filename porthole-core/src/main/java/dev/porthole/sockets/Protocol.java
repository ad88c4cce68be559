package dev.porthole.sockets;

/** Returns the transport protocol of a socket or a proxy. */
public enum Protocol {
  TCP,
  UDP;

  /** Returns the lower-case name used in tables and JSON ("tcp", "udp"). */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
