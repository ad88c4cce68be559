package dev.porthole.cli.service;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Runs {@code porthole up} as a systemd user service: install, status, uninstall. */
@Command(
    mixinStandardHelpOptions = true,
    name = "service",
    description = "Run the daemon (porthole up) as a systemd user service.",
    subcommands = {
      ServiceInstallCommand.class,
      ServiceStatusCommand.class,
      ServiceUninstallCommand.class
    },
    footer = {
      "",
      "Examples:",
      "  porthole service install --print               show the unit, change nothing",
      "  porthole service install                       start porthole up at login",
      "  porthole service install -- --port 63800 --toxiproxy-port",
      "  porthole service status",
      "  porthole service uninstall"
    })
public final class ServiceCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
