package dev.porthole.cli.service;

import dev.porthole.cli.CliException;
import dev.porthole.cli.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Stops and disables the user unit, then removes its file. */
@Command(
    mixinStandardHelpOptions = true,
    name = "uninstall",
    description = "Stop and disable the porthole user service and remove its unit file.",
    footer = {
      "",
      "Examples:",
      "  porthole service uninstall",
      "  porthole service uninstall --json"
    })
final class ServiceUninstallCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin ServiceOptions options;

  @Override
  public Integer call() {
    Path file = options.unitFile();
    if (!Files.exists(file)) {
      throw new CliException(ExitCodes.NO, "not installed: no " + file);
    }
    ServiceReport report = new ServiceReport(spec.commandLine(), options.output, file);
    Systemctl systemctl = options.systemctl();
    boolean systemd = systemctl.unavailable() == null;
    if (systemd && !report.ran(systemctl, "disable", "--now", UserUnit.NAME)) {
      return report.finish(ExitCodes.FAILURE);
    }
    try {
      Files.delete(file);
    } catch (IOException e) {
      throw new CliException(ExitCodes.FAILURE, "cannot remove " + file + ": " + e.getMessage(), e);
    }
    report.changed("removed " + file);
    if (!systemd) {
      report.put("systemd", false);
      return report.finish(ExitCodes.OK);
    }
    return report.finish(report.ran(systemctl, "daemon-reload") ? ExitCodes.OK : ExitCodes.FAILURE);
  }
}
