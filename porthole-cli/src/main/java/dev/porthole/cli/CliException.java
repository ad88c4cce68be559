package dev.porthole.cli;

/**
 * Ends a command with an exit code and one line for stderr.
 *
 * <p>Commands throw this instead of printing and returning, so that every error takes the same
 * path: one line, no stack trace (unless {@code --debug}), the documented exit code.
 */
public final class CliException extends RuntimeException {
  private final int exitCode;

  public CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** Returns a usage error (exit 2): the input is malformed. */
  public static CliException usage(String message) {
    return new CliException(ExitCodes.USAGE, message);
  }

  /** Returns a runtime failure (exit 3): the input was fine but the work could not be done. */
  public static CliException failure(String message) {
    return new CliException(ExitCodes.FAILURE, message);
  }

  public int exitCode() {
    return exitCode;
  }
}
