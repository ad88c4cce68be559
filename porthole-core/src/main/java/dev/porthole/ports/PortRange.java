package dev.porthole.ports;

import dev.porthole.text.Numbers;

/**
 * An inclusive range of port numbers, written {@code 3000-3999} (or one port, {@code 5432}) on
 * command lines, in environment variables and in policy files.
 */
public record PortRange(int first, int last) {
  /** Every port a non-privileged process may bind. */
  public static final PortRange UNPRIVILEGED = new PortRange(1024, 65535);

  /** IANA's dynamic range, which no service is ever assigned. */
  public static final PortRange DYNAMIC =
      new PortRange(PortClass.DYNAMIC.first(), PortClass.DYNAMIC.last());

  private static final String EXPECTED =
      " (expected: a port 1-65535 or a range A-B, e.g. 3000-3999)";

  public PortRange {
    if (first < 1 || last > 65535 || first > last) {
      throw new IllegalArgumentException(
          "range: " + first + "-" + last + " (expected: 1 <= A <= B <= 65535)");
    }
  }

  /**
   * Returns the range {@code text} names: a port or "first-last".
   *
   * @param what names the flag, field or variable in the error, as in {@code "--range: '9-2' …"}
   * @throws IllegalArgumentException with a one-line reason naming {@code what} and the text
   */
  public static PortRange parse(String text, String what) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(what + ": missing" + EXPECTED);
    }
    String t = text.strip();
    int dash = t.indexOf('-', 1);
    try {
      int first = Numbers.parseInt(dash < 0 ? t : t.substring(0, dash), what, 0, 999_999);
      int last = dash < 0 ? first : Numbers.parseInt(t.substring(dash + 1), what, 0, 999_999);
      return new PortRange(first, last);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + ": '" + Numbers.printable(t) + "'" + EXPECTED);
    }
  }

  /** Returns how many ports the range holds. */
  public int size() {
    return last - first + 1;
  }

  /** Returns true when {@code port} lies inside the range, ends included. */
  public boolean contains(int port) {
    return port >= first && port <= last;
  }

  @Override
  public String toString() {
    return first == last ? Integer.toString(first) : first + "-" + last;
  }
}
