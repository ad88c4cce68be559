package dev.porthole.ports;

import dev.porthole.text.Numbers;

/** Returns an inclusive range of port numbers, as {@code A-B} on command lines. */
public record PortRange(int first, int last) {
  /** Every port a non-privileged process may bind. */
  public static final PortRange UNPRIVILEGED = new PortRange(1024, 65535);

  /** IANA's dynamic range, which no service is ever assigned. */
  public static final PortRange DYNAMIC =
      new PortRange(PortClass.DYNAMIC.first(), PortClass.DYNAMIC.last());

  public PortRange {
    if (first < 1 || last > 65535 || first > last) {
      throw new IllegalArgumentException(
          "range: " + first + "-" + last + " (expected: 1 <= A <= B <= 65535)");
    }
  }

  /** Returns the range written as {@code A-B} (or a single port {@code A}). */
  public static PortRange parse(String text) {
    String s = text.strip();
    int dash = s.indexOf('-', 1);
    int first;
    int last;
    try {
      first = Numbers.parseInt(dash < 0 ? s : s.substring(0, dash), "range", 0, 999_999);
      last = dash < 0 ? first : Numbers.parseInt(s.substring(dash + 1), "range", 0, 999_999);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "range: '" + Numbers.printable(text) + "' (expected: A-B, e.g. 49152-65535)");
    }
    return new PortRange(first, last);
  }

  public int size() {
    return last - first + 1;
  }

  public boolean contains(int port) {
    return port >= first && port <= last;
  }

  @Override
  public String toString() {
    return first == last ? Integer.toString(first) : first + "-" + last;
  }
}
