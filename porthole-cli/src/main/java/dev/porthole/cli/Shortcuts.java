package dev.porthole.cli;

import dev.porthole.cli.inventory.PortsCommand;
import dev.porthole.cli.inventory.ScanCommand;
import dev.porthole.cli.inventory.WhoCommand;
import dev.porthole.cli.output.Terminal;
import dev.porthole.ports.PortSpec;
import dev.porthole.text.Durations;
import dev.porthole.text.Numbers;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.time.Duration;

/**
 * Answers the command lines scripts run in loops without picocli: {@code who PORT}, {@code ports}
 * and {@code ports --all} (or {@code -a}), and {@code scan [HOST [PORTS]]} with {@code --json}
 * and {@code --no-color} or without.
 *
 * <p>Why: even a one-subcommand picocli model costs about 90 ms of CPU on a cold JVM, most of it
 * Java building a proxy class for each annotation type picocli reads (8 of them; the AOT cache
 * cannot keep those), and a model built without annotations still costs 30 ms: most of {@code
 * who}'s 100 ms budget, and a tenth of a whole {@code scan} (issue #16). So these exact shapes run
 * the code their commands run after parsing. Every other command line ({@code who --json}, {@code
 * --help}, a bad port, a host off loopback, any other option) returns null and goes through
 * picocli, which stays the parser of record; so does a failure while reading or scanning, which
 * picocli's path then reports as it always does.
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
    if (args.length > 0 && args[0].equals("scan")) {
      return scan(args, out, err);
    }
    return null;
  }

  /**
   * Returns the exit code of {@code scan [HOST [PORTS]] [--json] [--no-color]} (flags anywhere
   * after {@code scan}, each at most once), or null for any other shape and for arguments picocli
   * would refuse.
   */
  private static Integer scan(String[] args, PrintWriter out, PrintWriter err) {
    String[] positional = {ScanCommand.DEFAULT_HOST, ScanCommand.DEFAULT_PORTS};
    int positionals = 0;
    boolean json = false;
    boolean noColor = false;
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--json") && !json) {
        json = true;
      } else if (arg.equals("--no-color") && !noColor) {
        noColor = true;
      } else if (!arg.startsWith("-") && positionals < 2) {
        positional[positionals++] = arg;
      } else {
        return null;
      }
    }
    PortSpec ports;
    InetAddress address;
    int concurrency = Integer.parseInt(ScanCommand.DEFAULT_CONCURRENCY);
    try {
      // The checks ScanCommand.call makes, in its order; their errors are picocli's to print.
      ports = PortSpec.parse(positional[1]);
      address = ScanCommand.address(positional[0], false, err);
      ScanCommand.checkConcurrency(concurrency);
    } catch (RuntimeException e) {
      return null;
    }
    Duration timeout = Durations.parsePositive(ScanCommand.DEFAULT_TIMEOUT, "--timeout");
    try {
      return ScanCommand.run(
          address, ports, concurrency, timeout, json, Terminal.detect(noColor), out, err);
    } catch (IOException | RuntimeException e) {
      return null; // as for who: picocli's path runs it again and reports the failure
    }
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
    try {
      return PortsCommand.runUnparsed(all, out, err);
    } catch (RuntimeException e) {
      return null; // read before printed, as for who: picocli's path reports the failure
    }
  }
}
