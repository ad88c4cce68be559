package dev.porthole.attribution;

import java.util.List;

/**
 * Reads pasta's port forwards from its arguments: {@code -t}/{@code --tcp-ports} and {@code
 * -u}/{@code --udp-ports}, each a comma-separated list of {@code [ADDR[%IF]/]PORTS[:GUESTPORTS]}
 * with ranges ({@code 8000-8010:9000-9010}), exclusions ({@code ~22}) and {@code all}.
 */
final class PastaPorts {
  private PastaPorts() {}

  /** Returns the guest port that host {@code port} forwards to, or -1 when no spec names it. */
  static int guestPort(List<String> argv, int port) {
    for (String flag : List.of("-t", "--tcp-ports", "-u", "--udp-ports")) {
      for (int i = 1; i + 1 < argv.size(); i++) {
        if (argv.get(i).equals(flag)) {
          int guest = inSpec(argv.get(i + 1), port);
          if (guest > 0) {
            return guest;
          }
        } else if (argv.get(i).startsWith(flag + "=") && flag.startsWith("--")) {
          int guest = inSpec(argv.get(i).substring(flag.length() + 1), port);
          if (guest > 0) {
            return guest;
          }
        }
      }
    }
    return -1;
  }

  /** Returns the guest port of {@code port} in one spec list, or -1. */
  static int inSpec(String spec, int port) {
    if (spec.equals("all")) {
      return port;
    }
    boolean excluded = false;
    int guest = -1;
    for (String item : spec.split(",")) {
      int slash = item.lastIndexOf('/');
      String ports = slash < 0 ? item : item.substring(slash + 1);
      if (ports.startsWith("~")) {
        excluded |= range(ports.substring(1), port) >= 0;
        continue;
      }
      int colon = ports.indexOf(':');
      String host = colon < 0 ? ports : ports.substring(0, colon);
      int offset = range(host, port);
      if (offset < 0) {
        continue;
      }
      if (colon < 0) {
        guest = port;
      } else {
        String to = ports.substring(colon + 1);
        int first = Argv.port(to.contains("-") ? to.substring(0, to.indexOf('-')) : to);
        guest = first < 0 ? -1 : first + offset;
      }
    }
    return excluded ? -1 : guest;
  }

  /** Returns {@code port}'s offset in "N" or "N-M", or -1 when outside. */
  private static int range(String text, int port) {
    int dash = text.indexOf('-');
    int first = Argv.port(dash < 0 ? text : text.substring(0, dash));
    int last = dash < 0 ? first : Argv.port(text.substring(dash + 1));
    return first > 0 && last >= first && port >= first && port <= last ? port - first : -1;
  }
}
