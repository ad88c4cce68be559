package dev.porthole.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Returns the {@code porthole} root command, which lists every subcommand. */
@Command(
    name = "porthole",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "See and bend everything on your machine's ports.",
    subcommands = {
      // One line per command; each lives in its own class.
      UpCommand.class,
      PortsCommand.class,
      WhoCommand.class,
      InfoCommand.class,
      FreeCommand.class,
      KillCommand.class,
      ProxiesCommand.class,
      ToxicCommand.class,
      ToxiproxyServerCommand.class,
      WatchCommand.class,
      EventsCommand.class,
      HistoryCommand.class,
      PolicyCommand.class,
      CompletionCommand.class,
      ProxyCommand.class,
      CheckCommand.class,
      WaitCommand.class,
      ScanCommand.class,
      DoctorCommand.class,
      AotTrainCommand.class,
    },
    footer = {
      "",
      "Exit codes: 0 ok, 1 no / not found, 2 usage error, 3 runtime failure.",
      "Shell completion: source <(porthole completion)"
    })
public final class Porthole implements Runnable {
  @Option(
      names = "--debug",
      scope = ScopeType.INHERIT,
      description = "Show stack traces of failures (for bug reports).")
  boolean debug;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    // `porthole` alone prints the list of commands.
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Returns a configured command line, writing to the given streams (tests pass their own). */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    ErrorHandler errors = new ErrorHandler();
    CommandLine cmd = new CommandLine(new Porthole());
    cmd.setOut(out);
    cmd.setErr(err);
    cmd.setExecutionExceptionHandler(errors);
    cmd.setParameterExceptionHandler(errors);
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    return cmd;
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, false, java.nio.charset.StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, java.nio.charset.StandardCharsets.UTF_8);
    int code = commandLine(out, err).execute(args);
    out.flush();
    System.exit(code);
  }
}
