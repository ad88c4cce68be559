package dev.porthole.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.TypeConversionException;

/**
 * Turns every failure into one line on stderr and the documented exit code.
 *
 * <p>Usage errors name the command and point at its {@code --help}; runtime failures print their
 * message. A stack trace appears only with {@code --debug}.
 */
public final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println(
        prefix(cmd)
            + oneLine(message(ex))
            + " (see '"
            + cmd.getCommandSpec().qualifiedName()
            + " --help')");
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
    boolean unexpected = code == ExitCodes.FAILURE && !(ex instanceof CliException);
    err.println(
        prefix(cmd)
            + oneLine(message)
            + (unexpected && !debug(cmd) ? " (run with --debug for details)" : ""));
    if (debug(cmd)) {
      ex.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  /**
   * Returns the parse error's text; a converter's error is put after the user's option name
   * ("--timeout: '3' (expected: …)") instead of picocli's "Invalid value for option …".
   */
  private static String message(ParameterException ex) {
    ArgSpec arg = ex.getArgSpec();
    if (ex.getCause() instanceof TypeConversionException conversion && arg != null) {
      String name =
          arg instanceof OptionSpec option ? option.longestName() : arg.paramLabel();
      return name + ": " + conversion.getMessage();
    }
    // picocli words a missing argument group "Error: Missing required argument ...": the line
    // already says which command failed, so the word "Error:" adds nothing.
    String text = String.valueOf(ex.getMessage());
    return text.startsWith("Error: ") ? text.substring("Error: ".length()) : text;
  }

  private static String prefix(CommandLine cmd) {
    return cmd.getCommandSpec().qualifiedName() + ": ";
  }

  /** Returns "what failed: why", walking causes so a wrapped I/O error still says what happened. */
  public static String describe(Throwable ex) {
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

  /**
   * Returns {@code message} on one line, with the invisible characters it may quote from the user
   * (controls, bidirectional overrides, zero-width) shown as escapes so the terminal prints them.
   */
  static String oneLine(String message) {
    if (message == null) {
      return "failed";
    }
    String line = message.replaceAll("\\s*\\R\\s*", " ").strip();
    StringBuilder sb = new StringBuilder(line.length());
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      boolean invisible =
          Character.isISOControl(c) || Character.getType(c) == Character.FORMAT;
      sb.append(invisible ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return sb.toString();
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
