package dev.porthole.cli.inventory;

import dev.porthole.cli.CliException;
import dev.porthole.cli.ExitCodes;
import dev.porthole.cli.OutputOptions;
import dev.porthole.ports.FreePorts;
import dev.porthole.ports.PortRange;
import dev.porthole.sockets.IpLiteral;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Prints ports that are free on IPv4 and IPv6, found by binding them. */
@Command(
    name = "free",
    mixinStandardHelpOptions = true,
    description = {
      "Print a port free on both IPv4 and IPv6 of the host (default 127.0.0.1 and ::1), checked by"
          + " binding it. Never inside the kernel's ephemeral range, never one browsers refuse.",
    },
    footer = {
      "",
      "Examples:",
      "  porthole free                       a free port from the dynamic range",
      "  porthole free --near 3000           3000 if free, else the nearest free one",
      "  porthole free --count 3             three distinct free ports",
      "  porthole free --range 8000-8999 --host 0.0.0.0",
      "  PORT=$(porthole free) && python3 -m http.server \"$PORT\""
    })
public final class FreeCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin OutputOptions output;

  @Option(names = "--near", paramLabel = "N", description = "Prefer N, then N+1, N-1, N+2, ...")
  String near;

  @Option(
      names = "--count",
      paramLabel = "K",
      defaultValue = "1",
      description = "How many distinct ports (default ${DEFAULT-VALUE}).")
  int count;

  @Option(
      names = "--range",
      paramLabel = "A-B",
      description = "Where to look (default: dynamic 49152-65535; 1024-65535 with --near).")
  String range;

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      defaultValue = "127.0.0.1",
      description =
          "Address to bind (default ${DEFAULT-VALUE}; its IPv6/IPv4 twin is checked too).")
  String host;

  @Option(names = "--udp", description = "Require the port free for UDP as well as TCP.")
  boolean udp;

  /** Returns the JSON document of {@code free --json}. */
  record Answer(
      List<Integer> ports,
      List<String> addresses,
      String range,
      int ephemeralFirst,
      int ephemeralLast) {}

  @Override
  public Integer call() {
    if (count < 1 || count > 1000) {
      throw CliException.usage("--count: " + count + " (expected: 1-1000)");
    }
    int nearPort = near == null ? -1 : Inventory.port(near, "--near");
    PortRange where = range(nearPort);
    FreePorts finder;
    List<Integer> found;
    try {
      finder = FreePorts.forHost(host, udp);
      found = finder.find(count, where, nearPort);
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
    List<String> addresses = finder.addresses().stream().map(IpLiteral::format).toList();
    if (found.size() < count) {
      throw new CliException(
          ExitCodes.NO,
          "only "
              + found.size()
              + " of "
              + count
              + " free port(s) in "
              + where
              + " on "
              + String.join(" and ", addresses));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      output.printJson(
          out,
          new Answer(
              found,
              addresses,
              where.toString(),
              finder.ephemeral().first(),
              finder.ephemeral().last()));
    } else {
      found.forEach(out::println);
      out.flush();
    }
    return ExitCodes.OK;
  }

  private PortRange range(int nearPort) {
    if (range == null) {
      if (nearPort < 1) {
        return PortRange.DYNAMIC;
      }
      return nearPort < 1024 ? new PortRange(1, 65535) : PortRange.UNPRIVILEGED;
    }
    try {
      return PortRange.parse(range, "--range");
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
  }
}
