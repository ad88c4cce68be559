package dev.porthole.cli.service;

import dev.porthole.cli.OutputOptions;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options every {@code porthole service} subcommand shares: where the unit lives, output. */
public final class ServiceOptions {
  @Mixin OutputOptions output;

  @Option(
      names = "--unit-dir",
      paramLabel = "DIR",
      description =
          "Folder of systemd user units (default: $XDG_CONFIG_HOME/systemd/user or"
              + " ~/.config/systemd/user).")
  Path unitDir;

  // For tests and odd systems: which systemctl to run ("none" acts as if there were none).
  @Option(names = "--systemctl", hidden = true, paramLabel = "PROGRAM")
  String systemctl = "systemctl";

  /** Returns the unit file's path. */
  Path unitFile() {
    Path dir = unitDir;
    if (dir == null) {
      String xdg = System.getenv("XDG_CONFIG_HOME");
      Path config =
          xdg != null && !xdg.isBlank()
              ? Path.of(xdg)
              : Path.of(System.getProperty("user.home"), ".config");
      dir = config.resolve("systemd/user");
    }
    return dir.resolve(UserUnit.NAME).toAbsolutePath().normalize();
  }

  Systemctl systemctl() {
    return new Systemctl(systemctl);
  }
}
