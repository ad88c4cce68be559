package dev.porthole.cli;

import dev.porthole.text.Numbers;
import java.io.PrintWriter;

/**
 * Answers the command lines scripts run in loops without picocli: {@code who PORT}, {@code ports}
 * and {@code ports --all} (or {@code -a}).
 *
 * <p>Why: even a one-subcommand picocli model costs about 90 ms of CPU on a cold JVM, most of it
 * Java building a proxy class for each annotation type picocli reads (8 of them; the AOT cache
 * cannot keep those), and a model built without annotations still costs 30 ms: most of {@code
 * who}'s 100 ms budget (issue #16). So these exact shapes run the code their commands run after
 * parsing. Every other command line ({@code --json}, {@code --help}, a bad port, any other option)
 * returns null and goes through picocli, which stays the parser of record; so does a failure while
 * reading, which picocli's path then reports as it always does.
 */
final class Shortcuts {
  private Shortcuts() {}

  /**
   * Returns the exit code of {@code args} after printing its answer, or null (nothing printed) when
   * {@code args} is not one of the shapes answered here, or the answer failed before printing.
   */
  static Integer answer(String[] args, PrintWriter out, PrintWriter err) {
    if (args.length == 2 && args[0].equals("who") && !args[1].startsWith("-")) {
      return who(args[1], out, err);
    }
    if (args.length == 1 && args[0].equals("ports")) {
      return ports(false, out, err);
    }
    if (args.length == 2 && args[0].equals("ports") && isAll(args[1])) {
      return ports(true, out, err);
    }
    return null;
  }

  private static boolean isAll(String arg) {
    return arg.equals("--all") || arg.equals("-a");
  }

  private static Integer who(String portText, PrintWriter out, PrintWriter err) {
    int port;
    try {
      port = Numbers.port(portText, "port");
    } catch (IllegalArgumentException e) {
      return null; // picocli's path prints the usage error
    }
    try {
      return WhoCommand.answer(port, null, out, err);
    } catch (RuntimeException e) {
      return null; // nothing was printed yet: picocli's path runs it again and reports the failure
    }
  }

  private static Integer ports(boolean all, PrintWriter out, PrintWriter err) {
    PortsCommand ports = new PortsCommand();
    ports.output = new OutputOptions();
    ports.all = all;
    try {
      return ports.run(out, err);
    } catch (RuntimeException e) {
      return null; // read before printed, as for who: picocli's path reports the failure
    }
  }
}
