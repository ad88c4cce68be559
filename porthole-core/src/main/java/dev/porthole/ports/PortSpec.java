package dev.porthole.ports;

import dev.porthole.text.Numbers;
import java.util.BitSet;

/**
 * Returns a set of TCP ports written as a list of ports and ranges: {@code 22,80,8000-9000}.
 *
 * @param ports the ports, ascending, each 1-65535, no duplicates
 */
public record PortSpec(int[] ports) {
  /** Every port, 1-65535. */
  public static final PortSpec ALL = parse("1-65535");

  public PortSpec {
    if (ports.length == 0) {
      throw new IllegalArgumentException("ports: empty (expected: at least one port)");
    }
  }

  /** Returns the ports in {@code text}; the exception message is one line naming the input. */
  public static PortSpec parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("ports: empty (expected e.g. 22,80,8000-9000)");
    }
    BitSet set = new BitSet(65536);
    for (String part : text.split(",", -1)) {
      String p = part.strip();
      int dash = p.indexOf('-');
      int lo = port(text, dash < 0 ? p : p.substring(0, dash));
      int hi = dash < 0 ? lo : port(text, p.substring(dash + 1));
      if (hi < lo) {
        throw new IllegalArgumentException(
            "ports '" + text + "': range " + p + " ends below its start");
      }
      set.set(lo, hi + 1);
    }
    return new PortSpec(set.stream().toArray());
  }

  private static int port(String text, String digits) {
    // ASCII only: Character.isDigit and Integer.parseInt would read "٨٠" as 80.
    boolean ascii = digits.chars().allMatch(c -> c >= '0' && c <= '9');
    if (digits.isEmpty() || digits.length() > 5 || !ascii) {
      throw new IllegalArgumentException(
          "ports '"
              + Numbers.printable(text)
              + "': '"
              + Numbers.printable(digits)
              + "' is not a port (expected e.g. 22,80,8000-9000)");
    }
    int port = Integer.parseInt(digits);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "ports '" + text + "': " + port + " is out of range (expected: 1-65535)");
    }
    return port;
  }

  public int size() {
    return ports.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PortSpec other && java.util.Arrays.equals(ports, other.ports);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(ports);
  }

  @Override
  public String toString() {
    return "PortSpec[" + ports.length + " ports]";
  }
}
