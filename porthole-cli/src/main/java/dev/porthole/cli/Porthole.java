package dev.porthole.cli;

import dev.porthole.cli.checks.CheckCommand;
import dev.porthole.cli.checks.DoctorCommand;
import dev.porthole.cli.checks.WaitCommand;
import dev.porthole.cli.daemon.UpCommand;
import dev.porthole.cli.docs.CompletionCommand;
import dev.porthole.cli.inventory.FreeCommand;
import dev.porthole.cli.inventory.InfoCommand;
import dev.porthole.cli.inventory.KillCommand;
import dev.porthole.cli.inventory.PortsCommand;
import dev.porthole.cli.inventory.ScanCommand;
import dev.porthole.cli.inventory.WhoCommand;
import dev.porthole.cli.proxy.ProxiesCommand;
import dev.porthole.cli.proxy.ProxyCommand;
import dev.porthole.cli.proxy.ToxicCommand;
import dev.porthole.cli.proxy.ToxiproxyServerCommand;
import dev.porthole.cli.service.ServiceCommand;
import dev.porthole.cli.watch.EventsCommand;
import dev.porthole.cli.watch.HistoryCommand;
import dev.porthole.cli.watch.PolicyCommand;
import dev.porthole.cli.watch.WatchCommand;
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
      dev.porthole.cli.port.PortCommand.class,
      dev.porthole.cli.firewall.FirewallCommand.class,
      dev.porthole.cli.quarantine.QuarantineCommand.class,
      ProxiesCommand.class,
      ToxicCommand.class,
      ToxiproxyServerCommand.class,
      WatchCommand.class,
      EventsCommand.class,
      HistoryCommand.class,
      PolicyCommand.class,
      CompletionCommand.class,
      ProxyCommand.class,
      dev.porthole.cli.capture.TailCommand.class,
      dev.porthole.cli.capture.ExportCommand.class,
      dev.porthole.cli.capture.StatsCommand.class,
      CheckCommand.class,
      WaitCommand.class,
      ScanCommand.class,
      DoctorCommand.class,
      AotTrainCommand.class,
      dev.porthole.cli.routing.RouteCommand.class,
      dev.porthole.cli.routing.TrustCommand.class,
      ServiceCommand.class,
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
    return configure(new CommandLine(new Porthole()), out, err);
  }

  /**
   * Returns a command line for {@code args}. When they start with a subcommand's name, the root
   * holds only that subcommand: picocli then inspects one command class instead of every one, which
   * is most of a short command's start-up; {@code --version} alone gets the root alone. Anything
   * else gets the full tree of {@link #commandLine}. All print and exit the same way.
   */
  public static CommandLine commandLineFor(String[] args, PrintWriter out, PrintWriter err) {
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      // One line to print: the root alone, without the model of every subcommand.
      return configure(new CommandLine(new Single()), out, err);
    }
    Class<?> only = args.length > 0 ? subcommand(args[0]) : null;
    if (only == null) {
      return commandLine(out, err);
    }
    CommandLine cmd = new CommandLine(new Single());
    cmd.addSubcommand(only);
    return configure(cmd, out, err);
  }

  private static Class<?> subcommand(String name) {
    for (Class<?> c : Porthole.class.getAnnotation(Command.class).subcommands()) {
      Command command = c.getAnnotation(Command.class);
      // completion prints the whole tree, so it needs the whole tree.
      if (command != null && command.name().equals(name) && !name.equals("completion")) {
        return c;
      }
    }
    return null;
  }

  private static CommandLine configure(CommandLine cmd, PrintWriter out, PrintWriter err) {
    ErrorHandler errors = new ErrorHandler();
    cmd.setOut(out);
    cmd.setErr(err);
    cmd.setExecutionExceptionHandler(errors);
    cmd.setParameterExceptionHandler(errors);
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    Converters.register(cmd);
    // "@FILE" would read arguments from FILE: "who @/dev/zero" read until memory ran out.
    cmd.setExpandAtFiles(false);
    return cmd;
  }

  /** Returns the root of a one-subcommand command line: the same name and root options. */
  @Command(
      name = "porthole",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class)
  static final class Single {
    @Option(
        names = "--debug",
        scope = ScopeType.INHERIT,
        description = "Show stack traces of failures (for bug reports).")
    boolean debug;
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, false, java.nio.charset.StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, java.nio.charset.StandardCharsets.UTF_8);
    int code = run(args, out, err);
    out.flush();
    System.exit(code);
  }

  /**
   * Runs {@code args} as {@code main} does and returns the exit code: {@code who PORT}, {@code
   * ports} and {@code ports --all} through {@link Shortcuts}, the launcher's {@code aot-train
   * [COMMAND]} through {@link AotTrainCommand#shortcut}, every other command line through {@link
   * #commandLineFor}.
   */
  static int run(String[] args, PrintWriter out, PrintWriter err) {
    Integer answered = Shortcuts.answer(args, out, err);
    if (answered == null) {
      answered = AotTrainCommand.shortcut(args);
    }
    return answered != null ? answered : commandLineFor(args, out, err).execute(args);
  }
}
