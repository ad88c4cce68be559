package dev.porthole.cli.service;

import dev.porthole.cli.ExitCodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Says whether the user unit is installed, enabled and running. */
@Command(
    mixinStandardHelpOptions = true,
    name = "status",
    description = "Show whether the porthole user service is installed, enabled and running.",
    footer = {
      "",
      "Exit 0 when it runs, 1 when it is installed but not running or not installed, 3 without",
      "a user systemd.",
      "",
      "Examples:",
      "  porthole service status",
      "  porthole service status --json | jq .active"
    })
final class ServiceStatusCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin ServiceOptions options;

  @Override
  public Integer call() throws IOException {
    Path file = options.unitFile();
    boolean installed = Files.exists(file);
    ServiceReport report = new ServiceReport(spec.commandLine(), options.output, file);
    report.put("installed", installed);
    PrintWriter out = spec.commandLine().getOut();
    if (!options.output.json()) {
      out.println("unit:    " + file + (installed ? "" : " (not installed)"));
    }
    String unavailable = options.systemctl().unavailable();
    if (unavailable != null) {
      report.put("systemd", false);
      report.put("reason", unavailable);
      if (!options.output.json()) {
        out.println("systemd: not available (" + unavailable + ")");
        out.flush();
      }
      return report.finish(ExitCodes.FAILURE);
    }
    // systemctl prints nothing on stdout for a unit it does not know; "not-found" is its own word.
    String enabled = orNotFound(options.systemctl().run("is-enabled", UserUnit.NAME).out());
    String active = orNotFound(options.systemctl().run("is-active", UserUnit.NAME).out());
    report.put("enabled", enabled);
    report.put("active", active);
    if (!options.output.json()) {
      out.println("enabled: " + enabled);
      out.println("active:  " + active);
      out.flush();
    }
    return report.finish("active".equals(active) ? ExitCodes.OK : ExitCodes.NO);
  }

  private static String orNotFound(String systemctlOut) {
    String word = systemctlOut.strip();
    return word.isEmpty() ? "not-found" : word;
  }
}
