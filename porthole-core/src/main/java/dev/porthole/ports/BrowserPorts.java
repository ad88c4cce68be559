package dev.porthole.ports;

import java.util.BitSet;

/**
 * Returns whether browsers refuse to fetch from a port: the "bad ports" of the WHATWG Fetch
 * standard (https://fetch.spec.whatwg.org/#port-blocking), which Chrome, Firefox and Safari
 * enforce. A dev server on one of them answers curl but shows ERR_UNSAFE_PORT in a browser.
 */
public final class BrowserPorts {
  // The standard's list as of 2024 (4190 and 6679 were the last additions).
  private static final int[] BAD = {
    1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102,
    103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465,
    512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993,
    995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668,
    6669, 6679, 6697, 10080
  };
  private static final BitSet BLOCKED = new BitSet(65536);

  static {
    for (int port : BAD) {
      BLOCKED.set(port);
    }
  }

  private BrowserPorts() {}

  /** Returns true when browsers refuse http(s) requests to {@code port}. */
  public static boolean blocked(int port) {
    return port >= 0 && port < 65536 && BLOCKED.get(port);
  }
}
