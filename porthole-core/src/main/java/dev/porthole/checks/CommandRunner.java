package dev.porthole.checks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a system command (getent, iptables-save, nft) and returns its output.
 *
 * <p>An interface so tests can stage what the command says; {@link #system()} runs the real one.
 */
@FunctionalInterface
public interface CommandRunner {

  /** Returns the command's exit code and output; never throws for a missing command. */
  Output run(List<String> command);

  /**
   * Returns what a command printed.
   *
   * @param exitCode the exit code; 127 when the command is not installed, -1 on timeout
   * @param stdout standard output
   * @param stderr standard error, or the reason it could not run
   */
  record Output(int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  /** Returns a runner that starts real processes, each given at most {@code timeout}. */
  static CommandRunner system(Duration timeout) {
    return command -> {
      Process p;
      try {
        p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
      } catch (IOException e) {
        return new Output(127, "", command.get(0) + " is not installed");
      }
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
      try {
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          return new Output(-1, "", command.get(0) + " did not finish within " + timeout);
        }
        return new Output(p.exitValue(), out.join(), err.join().strip());
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        return new Output(-1, "", "interrupted");
      }
    };
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
