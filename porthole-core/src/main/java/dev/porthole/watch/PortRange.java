package dev.porthole.watch;

import dev.porthole.text.Numbers;

/** Returns an inclusive range of ports, written "5432" or "3000-3999" in a policy file. */
public record PortRange(int first, int last) {
  public PortRange {
    if (first < 1 || last > 65535 || first > last) {
      throw new IllegalArgumentException(
          "port: "
              + (first == last ? first : first + "-" + last)
              + " (expected: a port 1-65535 or a range like 3000-3999)");
    }
  }

  /** Returns the range {@code text} names: a number or "first-last". */
  public static PortRange parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("port: missing (expected: a port 1-65535 or a range)");
    }
    String t = text.strip();
    int dash = t.indexOf('-');
    int first;
    int last;
    try {
      first = Numbers.parseInt(dash < 0 ? t : t.substring(0, dash), "port", 0, 999_999);
      last = dash < 0 ? first : Numbers.parseInt(t.substring(dash + 1), "port", 0, 999_999);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "port: '"
              + Numbers.printable(t)
              + "' (expected: a port 1-65535 or a range like 3000-3999)");
    }
    return new PortRange(first, last);
  }

  public boolean contains(int port) {
    return port >= first && port <= last;
  }

  @Override
  public String toString() {
    return first == last ? Integer.toString(first) : first + "-" + last;
  }
}
