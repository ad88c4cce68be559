package dev.porthole.cli;

import dev.porthole.sockets.LineFilter;
import dev.porthole.sockets.Protocol;
import dev.porthole.sockets.SockDiag;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Runs the short commands once with output discarded, so the launcher can record an AOT cache.
 *
 * <p>Hidden: the launcher calls it in the background after a build. It must have no side effects
 * besides reading (and holding a loopback port for its own run, so that {@code who} and {@code
 * ports} go through the owner lookup of a held port, not only the "nothing listens" path).
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "aot-train",
    hidden = true,
    description = "Record start-up data (launcher only).")
final class AotTrainCommand implements Callable<Integer> {
  /** Stands for the port this command holds while it trains. */
  private static final String HELD = "HELD";

  // Commands that only read, in the shapes people use most.
  private static final String[][] RUNS = {
    {"--help"},
    {"--version"},
    {"up", "--help"},
    {"toxic", "--help"},
    {"proxies", "--help"},
    {"proxy", "--help"},
    {"who", HELD},
    {"who", HELD, "--json"},
    {"who", "62893"},
    {"ports"},
    {"ports", "--all"},
    {"ports", "--tcp"},
    {"info", "62893"},
    {"who", "--help"},
    {"check", "--help"},
    {"wait", "--help"},
    {"doctor", "--json"},
    // A short loopback scan: connects only, so the scanner's classes are in the cache.
    {"scan", "127.0.0.1", "1-2048", "--json"},
  };

  // The commands with a cache of their own (scripts/jvm-options.sh), in the shapes that use it.
  private static final Map<String, String[][]> OWN =
      Map.of(
          "who", new String[][] {{"who", HELD}, {"who", "62893"}},
          "ports", new String[][] {{"ports"}, {"ports", "--all"}},
          // A range wide enough for the scan loop to be compiled, and a held port for the join.
          "scan",
          new String[][] {
            {"scan", "127.0.0.1", "1-4096", "--json"},
            {"scan", "127.0.0.1", HELD, "--json"},
            {"scan", "127.0.0.1", HELD}
          });

  @Parameters(
      arity = "0..1",
      paramLabel = "COMMAND",
      description =
          "Train the cache of this command only (who, ports, scan): a cache holding every command's"
              + " classes costs each start ~25 ms of CPU to map and link them.")
  String only;

  @Override
  public Integer call() {
    List<String[]> runs = runs(only);
    if (runs.isEmpty()) {
      throw CliException.usage("'" + only + "' has no training runs (expected: " + trained() + ")");
    }
    train(runs);
    return ExitCodes.OK;
  }

  /**
   * Trains {@code aot-train [COMMAND]} before picocli is built, and returns its exit code; null for
   * any other command line (and for a COMMAND without runs, which picocli's path then reports).
   * Why: a command's own cache should hold what that command loads, and {@code who PORT} loads no
   * picocli model; parsing {@code aot-train who} with picocli put its model into who's cache, which
   * made each start ~9 ms of CPU slower (docs/benchmarks.md).
   */
  static Integer shortcut(String[] args) {
    if (args.length == 0 || args.length > 2 || !args[0].equals("aot-train")) {
      return null;
    }
    String command = args.length == 2 ? args[1] : null;
    if (command != null && (command.startsWith("-") || runs(command).isEmpty())) {
      return null;
    }
    train(runs(command));
    return ExitCodes.OK;
  }

  private static void train(List<String[]> runs) {
    try (ServerSocket held = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String port = Integer.toString(held.getLocalPort());
      for (String[] run : runs) {
        String[] args = run.clone();
        for (int i = 0; i < args.length; i++) {
          args[i] = args[i].equals(HELD) ? port : args[i];
        }
        StringWriter sink = new StringWriter();
        PrintWriter w = new PrintWriter(sink);
        // The same path main takes, so the cache holds what a real run loads.
        Porthole.run(args, w, w);
      }
      if (runs.stream().anyMatch(run -> run[0].equals("who") || run[0].equals("ports"))) {
        readOverNetlink(held.getLocalPort());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads the held port's sockets and the listeners over netlink through FFM, the way a one-shot
   * command does on a machine with many sockets ({@code SocketTables.forOneQuestion}), so the cache
   * holds that path's classes too whatever this machine's socket count is while it trains.
   */
  private static void readOverNetlink(int port) {
    try (SockDiag diag = SockDiag.openWithoutJna()) {
      for (Protocol protocol : Protocol.values()) {
        for (boolean ipv6 : new boolean[] {false, true}) {
          diag.read(protocol, ipv6, LineFilter.port(port));
          diag.read(protocol, ipv6, LineFilter.LISTENERS);
        }
      }
    } catch (IOException | RuntimeException e) {
      // No netlink here (an old JDK, a sandbox): one-shot commands read the text here too.
    }
  }

  /** Returns every run when {@code command} is null, else the runs of its own cache (or none). */
  static List<String[]> runs(String command) {
    return command == null ? List.of(RUNS) : List.of(OWN.getOrDefault(command, new String[0][]));
  }

  private static String trained() {
    return String.join(", ", new java.util.TreeSet<>(OWN.keySet()));
  }
}
