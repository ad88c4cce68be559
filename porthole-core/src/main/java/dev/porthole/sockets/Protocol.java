package dev.porthole.sockets;

/** Returns the transport protocol of a socket or a proxy. */
public enum Protocol {
  TCP("tcp"),
  UDP("udp");

  private final String label;

  Protocol(String label) {
    this.label = label;
  }

  /** Returns the lower-case name used in tables and JSON ("tcp", "udp"). */
  public String label() {
    return label; // a field: the watch asks for it thousands of times a cycle
  }
}
