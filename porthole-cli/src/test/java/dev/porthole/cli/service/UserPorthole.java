package dev.porthole.cli.service;

import dev.porthole.cli.Porthole;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Porthole in a child JVM that sees a {@link UserManager}'s XDG folders, as a user's shell does:
 * {@code systemctl --user} and {@code journalctl --user} then reach that manager. A unit porthole
 * writes runs a launcher script in {@code dir}, as a unit from ./porthole runs ./porthole.
 */
final class UserPorthole {
  private UserPorthole() {}

  /** What one run printed, and its exit code. */
  record Run(int exit, String out, String err) {}

  /** Runs {@code porthole args} and waits (at most 60 s) for it to end. */
  static Run run(UserManager systemd, Path dir, String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("java.class.path");
    Path launcher = dir.resolve("porthole");
    if (!Files.exists(launcher)) {
      Files.writeString(
          launcher,
          "#!/bin/sh\nexec '"
              + java
              + "' -cp '"
              + classpath
              + "' "
              + Porthole.class.getName()
              + " \"$@\"\n");
      Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-Dporthole.launcher=" + launcher,
                "-cp",
                classpath,
                Porthole.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(systemd.env());
    pb.environment().put("NO_COLOR", "1");
    Process p = pb.start();
    p.getOutputStream().close();
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    String out = read(p.getInputStream());
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("porthole " + String.join(" ", args) + ": no end in 60 s");
    }
    return new Run(p.exitValue(), out, err.join());
  }

  private static String read(InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
