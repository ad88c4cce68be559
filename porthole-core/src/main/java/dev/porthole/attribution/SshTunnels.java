package dev.porthole.attribution;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads an {@code ssh} client's tunnels from its command line: {@code -L [bind:]port:host:hostport}
 * and {@code -D [bind:]port} listen here; {@code -R} listens on the server, so it is named only
 * when nothing local matches.
 */
final class SshTunnels {
  // ssh(1) options that take an argument; the others are flags and may be clustered (-fNT).
  private static final String WITH_ARGUMENT = "BbcDEeFIiJLlmOoPpQRSWw";

  private SshTunnels() {}

  private record Forward(char type, String spec) {}

  /** Returns the tunnel origin of local {@code port}, or null when {@code argv} has none. */
  static Origin match(List<String> argv, int port) {
    if (!Argv.runs(argv, "ssh")) {
      return null;
    }
    List<Forward> forwards = new ArrayList<>();
    String server = null;
    String user = null;
    String sshPort = null;
    for (int i = 1; i < argv.size(); i++) {
      String a = argv.get(i);
      if (!a.startsWith("-") || a.length() < 2) {
        if (server == null) {
          server = a;
        }
        break; // the rest is the remote command
      }
      for (int c = 1; c < a.length(); c++) {
        char flag = a.charAt(c);
        if (WITH_ARGUMENT.indexOf(flag) < 0) {
          continue;
        }
        String value =
            c + 1 < a.length() ? a.substring(c + 1) : i + 1 < argv.size() ? argv.get(++i) : "";
        switch (flag) {
          case 'L', 'D', 'R' -> forwards.add(new Forward(flag, value));
          case 'l' -> user = value;
          case 'p' -> sshPort = value;
          default -> {}
        }
        break;
      }
    }
    if (server != null && user != null && !server.contains("@")) {
      server = user + "@" + server;
    }
    if (server != null && sshPort != null) {
      server = server + " port " + sshPort;
    }
    for (Forward f : forwards) {
      Origin o = origin(f, port, server);
      if (o != null) {
        return o;
      }
    }
    return null;
  }

  private static Origin origin(Forward f, int port, String server) {
    List<String> fields = Argv.colonFields(f.spec());
    String via = server == null ? "?" : server;
    if (f.type() == 'D') {
      int at = fields.size() - 1;
      if (Argv.port(fields.get(at)) != port) {
        return null;
      }
      return Origin.of(
          OriginKind.SSH_TUNNEL,
          "ssh -D SOCKS proxy via " + via,
          "forward",
          "dynamic",
          "bindAddress",
          at > 0 ? fields.getFirst() : null,
          "via",
          server);
    }
    if (fields.size() < 3) {
      return null; // a unix socket forward (-L /path:host:port) or malformed
    }
    int n = fields.size();
    String listenPort = fields.get(n - 3);
    if (f.type() == 'L' && Argv.port(listenPort) != port) {
      return null;
    }
    if (f.type() == 'R') {
      return null; // listens on the server, not here
    }
    String target = fields.get(n - 2) + ":" + fields.get(n - 1);
    return Origin.of(
        OriginKind.SSH_TUNNEL,
        "ssh -L to " + target + " via " + via,
        "forward",
        "local",
        "bindAddress",
        n > 3 ? fields.getFirst() : null,
        "target",
        target,
        "via",
        server);
  }
}
