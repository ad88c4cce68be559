package dev.porthole.cli.inventory;

import dev.porthole.attribution.Attributor;
import dev.porthole.cli.ExitCodes;
import dev.porthole.cli.OutputOptions;
import dev.porthole.sockets.LineFilter;
import dev.porthole.sockets.SocketSnapshot;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Answers "who holds this port" in one line; exit 1 when nothing does. */
@Command(
    name = "who",
    mixinStandardHelpOptions = true,
    description = "Say in one line which process holds PORT (exit 1 when nothing listens).",
    footer = {
      "",
      "Examples:",
      "  porthole who 62893",
      "  porthole who 8080 || echo free",
      "  porthole who 5432 --json | jq '.sockets[0].pid'"
    })
public final class WhoCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin OutputOptions output;

  @Parameters(index = "0", paramLabel = "PORT", description = "The port number (1-65535).")
  String portText;

  /**
   * Returns the JSON document of {@code who --json}.
   *
   * @param listening true when a listener holds the port; false when only connections use it
   */
  record Answer(int port, boolean listening, List<SocketRow> sockets, List<String> notes) {}

  @Override
  public Integer call() {
    return answer(
        Inventory.port(portText),
        output.json() ? output : null,
        spec.commandLine().getOut(),
        spec.commandLine().getErr());
  }

  /**
   * Prints who holds {@code port} on {@code out} (its notes on {@code err}) and returns the exit
   * code: the whole command after parsing, shared with {@link Shortcuts}. Everything is read before
   * the first line is printed, so a failure leaves {@code out} untouched.
   *
   * @param json the output options that print JSON, or null for the one-line answer
   */
  public static int answer(int port, OutputOptions json, PrintWriter out, PrintWriter err) {
    SocketSnapshot snapshot = Inventory.snapshot(LineFilter.port(port), s -> true);
    Attributor attributor = Attributor.system();
    List<SocketRow> all = Inventory.rows(snapshot, false, attributor);
    List<String> notes = Inventory.notes(snapshot, attributor);
    List<SocketRow> listeners = all.stream().filter(r -> r.remoteAddress() == null).toList();
    boolean listening = !listeners.isEmpty();
    List<SocketRow> shown = listening ? listeners : all;
    if (json != null) {
      json.printJson(out, new Answer(port, listening, shown, notes));
    } else if (shown.isEmpty()) {
      out.println("nothing listens on " + port);
    } else if (listening) {
      out.println(port + ": " + Inventory.holders(shown));
    } else {
      out.println(port + ": nothing listens; in use by " + Inventory.holders(shown));
    }
    out.flush();
    if (json == null && !shown.isEmpty()) {
      Inventory.printNotes(err, notes);
    }
    return listening ? ExitCodes.OK : ExitCodes.NO;
  }
}
