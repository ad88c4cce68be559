package dev.porthole.cli.checks;

import dev.porthole.checks.CommandRunner;
import dev.porthole.checks.Doctor;
import dev.porthole.checks.DoctorItem;
import dev.porthole.cli.CliException;
import dev.porthole.cli.Converters;
import dev.porthole.cli.ExitCodes;
import dev.porthole.cli.OutputOptions;
import dev.porthole.cli.output.Terminal;
import dev.porthole.ports.EphemeralRange;
import dev.porthole.sockets.SocketInventory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Returns a checklist of the local network setup, each problem with its fix. */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description = {
      "Check the local setup for what breaks connections on this machine.",
      "Loopback, IPv6, /etc/hosts and how localhost resolves, firewall rules touching loopback,"
          + " the ephemeral port range, services exposed on all interfaces."
    },
    footer = {
      "",
      "Exit codes: 0 nothing broken (warnings allowed), 1 at least one ✗.",
      "",
      "Examples:",
      "  porthole doctor",
      "  porthole doctor --port 8080",
      "  porthole doctor --json"
    })
public final class DoctorCommand implements Callable<Integer> {
  @Option(
      names = "--port",
      paramLabel = "N",
      converter = Converters.Port.class,
      description = "Focus on one port.")
  Integer port;

  @Option(
      names = "--hosts-file",
      paramLabel = "PATH",
      defaultValue = "/etc/hosts",
      hidden = true,
      description = "The hosts file to read (tests stage their own).")
  Path hostsFile;

  @Mixin OutputOptions output;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (port != null && (port < 1 || port > 65535)) {
      throw CliException.usage("--port " + port + ": expected 1-65535");
    }
    Doctor doctor =
        new Doctor(
            new Doctor.Environment(
                hostsFile,
                Path.of("/proc"),
                CommandRunner.system(Duration.ofSeconds(3)),
                () -> {
                  try {
                    return SocketInventory.system().snapshot(false);
                  } catch (RuntimeException e) {
                    return null;
                  }
                },
                EphemeralRange.system()));
    List<DoctorItem> items = doctor.run(port == null ? 0 : port);
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      output.printJson(out, items);
    } else {
      print(out, output.terminal(), items);
    }
    return items.stream().anyMatch(i -> i.status() == DoctorItem.Status.FAIL)
        ? ExitCodes.NO
        : ExitCodes.OK;
  }

  static void print(PrintWriter out, Terminal t, List<DoctorItem> items) {
    for (DoctorItem item : items) {
      String mark =
          switch (item.status()) {
            case OK -> t.green("✓");
            case WARN -> t.yellow("⚠");
            case FAIL -> t.red("✗");
            case SKIPPED -> t.dim("·");
          };
      out.println(mark + " " + item.summary());
      if (item.fix() != null) {
        out.println("    fix: " + item.fix());
      }
    }
    long fails = items.stream().filter(i -> i.status() == DoctorItem.Status.FAIL).count();
    long warns = items.stream().filter(i -> i.status() == DoctorItem.Status.WARN).count();
    out.println();
    out.println(
        fails == 0 && warns == 0
            ? "all good"
            : fails + " broken, " + warns + " warning" + (warns == 1 ? "" : "s"));
    out.flush();
  }
}
