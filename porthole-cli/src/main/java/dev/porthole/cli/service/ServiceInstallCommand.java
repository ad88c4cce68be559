package dev.porthole.cli.service;

import dev.porthole.cli.CliException;
import dev.porthole.cli.ExitCodes;
import dev.porthole.cli.daemon.UpCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Writes the user unit for {@code porthole up FLAGS}, then enables and starts it. */
@Command(
    mixinStandardHelpOptions = true,
    name = "install",
    description = "Write a systemd user unit for porthole up, enable it and start it.",
    footer = {
      "",
      "Flags after -- go to porthole up. Without a user systemd the unit is still written and the",
      "commands to run are printed (exit 3).",
      "",
      "Examples:",
      "  porthole service install --print",
      "  porthole service install -- --port 63800",
      "  porthole service install --unit-dir /tmp/units --print -- --toxiproxy-port"
    })
final class ServiceInstallCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin ServiceOptions options;

  @Option(names = "--print", description = "Only print the unit; change nothing.")
  boolean print;

  @Parameters(paramLabel = "UP_FLAG", description = "Flags for porthole up (after --).")
  List<String> upFlags = new ArrayList<>();

  @Override
  public Integer call() {
    checkUpFlags();
    List<String> command = new ArrayList<>(PortholeProgram.command());
    command.add("up");
    command.addAll(upFlags);
    UserUnit unit = new UserUnit(command);
    PrintWriter out = spec.commandLine().getOut();
    if (print) {
      out.print(unit.render());
      out.flush();
      return ExitCodes.OK;
    }
    Path file = options.unitFile();
    boolean existed = Files.exists(file);
    write(file, unit.render());
    ServiceReport report = new ServiceReport(spec.commandLine(), options.output, file);
    report.changed((existed ? "replaced " : "wrote ") + file);
    String unavailable = options.systemctl().unavailable();
    if (unavailable != null) {
      return report.noSystemd(
          unavailable,
          List.of(
              "systemctl --user daemon-reload",
              "systemctl --user enable --now " + UserUnit.NAME,
              "or, without systemd: " + unit.execStart()));
    }
    Systemctl systemctl = options.systemctl();
    if (!report.ran(systemctl, "daemon-reload")
        || !report.ran(systemctl, "enable", "--now", UserUnit.NAME)) {
      return report.finish(ExitCodes.FAILURE);
    }
    report.changed("enabled and started " + UserUnit.NAME);
    return report.finish(ExitCodes.OK);
  }

  /** Parses the flags as porthole up would, so a typo fails now and not at every login. */
  private void checkUpFlags() {
    try {
      new CommandLine(new UpCommand()).parseArgs(upFlags.toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      throw CliException.usage("porthole up " + String.join(" ", upFlags) + ": " + e.getMessage());
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, text);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new CliException(ExitCodes.FAILURE, "cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
