package dev.porthole.attribution;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads a socat forward from its two addresses: {@code socat TCP-LISTEN:8080,fork TCP:db:5432}. */
final class SocatForwards {
  private SocatForwards() {}

  /** Returns the forward origin of {@code port}, or null when {@code argv} listens elsewhere. */
  static Origin match(List<String> argv, int port) {
    if (!Argv.runs(argv, "socat")) {
      return null;
    }
    List<String> addresses = new ArrayList<>();
    for (int i = 1; i < argv.size(); i++) {
      String a = argv.get(i);
      if (a.startsWith("-") && a.length() > 1) {
        continue; // -d, -v, -T5, -lf...: socat's own options come before the addresses
      }
      addresses.add(a);
    }
    if (addresses.size() != 2) {
      return null;
    }
    for (int listen = 0; listen < 2; listen++) {
      String address = addresses.get(listen);
      String type = type(address);
      if (!type.contains("LISTEN") && !type.contains("RECVFROM") && !type.equals("UDP-RECV")) {
        continue;
      }
      List<String> fields = Argv.colonFields(address.split(",")[0]);
      if (fields.size() < 2 || Argv.port(fields.get(1)) != port) {
        continue;
      }
      String target = addresses.get(1 - listen).split(",")[0];
      target = target.equals("-") ? "STDIO" : target;
      return Origin.of(
          OriginKind.FORWARD,
          "socat forward to " + target,
          "tool",
          "socat",
          "listen",
          address,
          "target",
          target);
    }
    return null;
  }

  private static String type(String address) {
    int colon = address.indexOf(':');
    return (colon < 0 ? address : address.substring(0, colon)).toUpperCase(Locale.ROOT);
  }
}
