package dev.porthole.cli.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code systemctl --user}: whether a user manager answers, and one command at a time. */
final class Systemctl {
  /** The outcome of one {@code systemctl --user} run. */
  record Result(List<String> command, int exit, String out, String err) {
    /** Returns the command as a person would type it. */
    String shown() {
      return String.join(" ", command);
    }

    /** Returns the first line systemctl wrote to stderr, or stdout when stderr is empty. */
    String reason() {
      String text = err.isBlank() ? out : err;
      return text.isBlank() ? "exit " + exit : text.strip().lines().findFirst().orElse("");
    }
  }

  private static final long TIMEOUT_SECONDS = 30;

  private final String program;

  Systemctl(String program) {
    this.program = program;
  }

  /** Returns why no user manager can be used, or null when one answers. */
  String unavailable() {
    Result probe;
    try {
      probe = run("show-environment");
    } catch (IOException e) {
      return "cannot run " + program; // not installed: the usual case in containers
    }
    return probe.exit() == 0 ? null : "systemctl --user: " + probe.reason();
  }

  /** Runs {@code systemctl --user args}; throws only when the program cannot be started. */
  Result run(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(program, "--user"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).start();
    p.getOutputStream().close();
    try {
      // Small outputs: read both streams after exit is safe below the pipe buffer.
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(command, -1, "", "timed out after " + TIMEOUT_SECONDS + "s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      return new Result(command, -1, "", "interrupted");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(command, p.exitValue(), out, err);
  }
}
