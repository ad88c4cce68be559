package dev.porthole.ports;

/** Returns the IANA class of a port number. */
public enum PortClass {
  /** 0-1023: system services; binding needs privileges on most systems. */
  WELL_KNOWN(0, 1023),
  /** 1024-49151: registered with IANA for an application. */
  REGISTERED(1024, 49151),
  /** 49152-65535: dynamic/private, never assigned to a service. */
  DYNAMIC(49152, 65535);

  private final int first;
  private final int last;
  private final String label;

  PortClass(int first, int last) {
    this.first = first;
    this.last = last;
    this.label = name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /** Returns the class of {@code port}. */
  public static PortClass of(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 0-65535)");
    }
    return port <= WELL_KNOWN.last ? WELL_KNOWN : port <= REGISTERED.last ? REGISTERED : DYNAMIC;
  }

  public int first() {
    return first;
  }

  public int last() {
    return last;
  }

  /** Returns the lower-case label used in tables and JSON ("well-known", "registered", "dynamic"). */
  public String label() {
    return label; // a field: ports asks for it once per socket
  }
}
