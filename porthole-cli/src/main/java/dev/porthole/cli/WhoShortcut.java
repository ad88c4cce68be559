package dev.porthole.cli;

import dev.porthole.text.Numbers;
import java.io.PrintWriter;

/**
 * Answers {@code porthole who PORT}, the shape scripts run in loops, without picocli.
 *
 * <p>Why: even a one-subcommand picocli model costs about 90 ms of CPU on a cold JVM, most of it
 * Java building a proxy class for each annotation type picocli reads (8 of them; the AOT cache
 * cannot keep those), and even a model built without annotations costs 30 ms. That is most of
 * {@code who}'s 100 ms budget (issue #16). So exactly two arguments, {@code who} and a valid port,
 * are answered here, by the code {@link WhoCommand} runs. Everything else ({@code --json}, {@code
 * --help}, a bad port, any option) returns null and goes through picocli, which stays the parser of
 * record; so does a failure while reading, which picocli's path then reports as it always does.
 */
final class WhoShortcut {
  private WhoShortcut() {}

  /**
   * Returns the exit code of {@code porthole who PORT} after printing its answer, or null (nothing
   * printed) when {@code args} is any other command line or the answer failed.
   */
  static Integer answer(String[] args, PrintWriter out, PrintWriter err) {
    if (args.length != 2 || !args[0].equals("who") || args[1].startsWith("-")) {
      return null;
    }
    int port;
    try {
      port = Numbers.port(args[1], "port");
    } catch (IllegalArgumentException e) {
      return null; // picocli's path prints the usage error
    }
    try {
      return WhoCommand.answer(port, null, out, err);
    } catch (RuntimeException e) {
      return null; // nothing was printed yet: picocli's path runs it again and reports the failure
    }
  }
}
