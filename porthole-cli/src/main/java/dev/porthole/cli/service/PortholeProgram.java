package dev.porthole.cli.service;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/** Returns how to start this same porthole again from a unit: the .deb's, the checkout's, a jar. */
final class PortholeProgram {
  private PortholeProgram() {}

  /** Returns the words that run porthole, before the subcommand. */
  static List<String> command() {
    // jpackage's launcher sets this: /usr/bin/porthole when installed from the .deb.
    String app = System.getProperty("jpackage.app-path");
    if (app != null && !app.isBlank()) {
      return List.of(app);
    }
    // ./porthole passes its own path: the unit then keeps the launcher's JVM options per command.
    String launcher = System.getProperty("porthole.launcher");
    if (launcher != null && !launcher.isBlank()) {
      return List.of(Path.of(launcher).toAbsolutePath().normalize().toString());
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    return List.of(java, "-jar", jar());
  }

  private static String jar() {
    try {
      return Path.of(PortholeProgram.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (URISyntaxException | SecurityException e) {
      return "porthole.jar";
    }
  }
}
