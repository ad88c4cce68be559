package dev.porthole.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * Runs the short commands once with output discarded, so the launcher can record an AOT cache.
 *
 * <p>Hidden: the launcher calls it in the background after a build. It must have no side effects
 * besides reading.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "aot-train",
    hidden = true,
    description = "Record start-up data (launcher only).")
final class AotTrainCommand implements Callable<Integer> {
  // Commands that only read, in the shapes people use most.
  private static final String[][] RUNS = {
    {"--help"},
    {"--version"},
    {"up", "--help"},
    {"toxic", "--help"},
    {"proxies", "--help"},
    {"proxy", "--help"},
    {"who", "62893"},
    {"ports"},
    {"ports", "--all"},
    {"info", "62893"},
    {"who", "--help"},
    {"check", "--help"},
    {"wait", "--help"},
    {"doctor", "--json"},
    // A short loopback scan: connects only, so the scanner's classes are in the cache.
    {"scan", "127.0.0.1", "1-2048", "--json"},
  };

  @Override
  public Integer call() {
    for (String[] args : RUNS) {
      StringWriter sink = new StringWriter();
      PrintWriter w = new PrintWriter(sink);
      // The same path main takes, so the cache holds what a real run loads.
      Porthole.run(args, w, w);
    }
    return ExitCodes.OK;
  }
}
