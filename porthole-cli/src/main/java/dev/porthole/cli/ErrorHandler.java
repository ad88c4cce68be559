package dev.porthole.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure into one line on stderr and the documented exit code.
 *
 * <p>Usage errors name the command and point at its {@code --help}; runtime failures print their
 * message. A stack trace appears only with {@code --debug}.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println(prefix(cmd) + oneLine(ex.getMessage()));
    err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
    if (debug(cmd)) {
      ex.printStackTrace(err);
    }
    err.flush();
    return ExitCodes.USAGE;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    int code;
    String message;
    if (ex instanceof CliException cli) {
      code = cli.exitCode();
      message = cli.getMessage();
    } else if (ex instanceof IllegalArgumentException) {
      code = ExitCodes.USAGE;
      message = ex.getMessage();
    } else {
      code = ExitCodes.FAILURE;
      message = describe(ex);
    }
    err.println(prefix(cmd) + oneLine(message));
    if (debug(cmd)) {
      ex.printStackTrace(err);
    } else if (code == ExitCodes.FAILURE && !(ex instanceof CliException)) {
      err.println("(run with --debug for details)");
    }
    err.flush();
    return code;
  }

  private static String prefix(CommandLine cmd) {
    return cmd.getCommandSpec().qualifiedName() + ": ";
  }

  /** Returns "what failed: why", walking causes so a wrapped I/O error still says what happened. */
  static String describe(Throwable ex) {
    String message = ex.getMessage();
    Throwable cause = ex.getCause();
    if (message == null || message.isBlank()) {
      message = ex.getClass().getSimpleName();
    }
    if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
      message = message + ": " + cause.getMessage();
    }
    return message;
  }

  static String oneLine(String message) {
    return message == null ? "failed" : message.replaceAll("\\s*\\R\\s*", " ").strip();
  }

  private static boolean debug(CommandLine cmd) {
    CommandLine root = cmd;
    while (root.getParent() != null) {
      root = root.getParent();
    }
    return root.getCommand() instanceof Porthole p && p.debug
        || root.getCommand() instanceof Porthole.Single s && s.debug;
  }
}
