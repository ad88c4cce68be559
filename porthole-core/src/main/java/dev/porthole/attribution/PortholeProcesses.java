package dev.porthole.attribution;

import java.util.List;

/**
 * Recognises porthole's own listeners from their command lines: a foreground {@code porthole proxy
 * --listen L --upstream U [--toxic T]...}, the daemon ({@code porthole up}) and {@code porthole
 * toxiproxy-server}.
 */
final class PortholeProcesses {
  private PortholeProcesses() {}

  /** Returns porthole's origin for {@code argv}, or null when it is not porthole. */
  static Origin match(List<String> argv) {
    int command = commandIndex(argv);
    if (command < 0 || command >= argv.size()) {
      return null;
    }
    List<String> rest = argv.subList(command, argv.size());
    return switch (rest.getFirst()) {
      case "proxy" -> {
        String upstream = Argv.option(rest, "--upstream", null);
        List<String> toxics = Argv.options(rest, "--toxic");
        yield Origin.of(
            OriginKind.PORTHOLE,
            "porthole proxy to " + upstream,
            "role",
            "proxy",
            "listen",
            Argv.option(rest, "--listen", null),
            "upstream",
            upstream,
            "protocol",
            rest.contains("--udp") ? "udp" : "tcp",
            "toxics",
            String.join(" ", toxics));
      }
      case "up" -> Origin.of(OriginKind.PORTHOLE, "porthole daemon", "role", "daemon");
      case "toxiproxy-server" ->
          Origin.of(OriginKind.PORTHOLE, "porthole toxiproxy-server", "role", "toxiproxy-server");
      default -> null;
    };
  }

  /** Returns the index of porthole's subcommand in {@code argv}, or -1 when it is not porthole. */
  private static int commandIndex(List<String> argv) {
    for (int i = 0; i < argv.size(); i++) {
      String a = argv.get(i);
      if (a.endsWith("porthole.jar") || a.equals("dev.porthole.cli.Porthole")) {
        // java ... -jar porthole.jar [java options already consumed] COMMAND
        return i + 1;
      }
    }
    return Argv.runs(argv, "porthole") ? 1 : -1;
  }
}
