package dev.porthole.cli.port;

import dev.porthole.cli.CliException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;

/**
 * Runs a user's command with {@code PORT} set, in the foreground, and returns its exit code.
 *
 * <p>The child shares the terminal (Ctrl-C reaches it directly, as part of the foreground process
 * group); when porthole itself is ended (SIGTERM), a shutdown hook ends the child too, so no dev
 * server is left running on the project's port.
 */
final class PortRunner {
  private final List<String> command;
  private final int port;

  PortRunner(List<String> command, int port) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("command: empty");
    }
    this.command = List.copyOf(command);
    this.port = port;
  }

  /** Returns the command's exit code (128 + signal when a signal ended it). */
  int run(PrintWriter err) {
    ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
    pb.environment().put("PORT", Integer.toString(port));
    Process child;
    try {
      child = pb.start();
    } catch (IOException e) {
      throw CliException.failure("cannot run " + command.get(0) + ": " + reason(e));
    }
    Thread hook = new Thread(child::destroy, "porthole-port-child");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return child.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      child.destroy();
      err.println("interrupted; sent SIGTERM to " + command.get(0));
      err.flush();
      return 130;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs now, which is what we want
      }
    }
  }

  private static String reason(IOException e) {
    String m = e.getMessage() == null ? "" : e.getMessage();
    // The JDK words ENOENT as "error=2," or "error: 2 (No such file or directory)".
    return m.matches("(?s).*error[=:] ?2\\b.*") ? "not found on PATH" : m;
  }
}
