package dev.porthole.cli;

import dev.porthole.cli.output.Json;
import dev.porthole.cli.output.Terminal;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** Returns the output choices every user-facing command shares: {@code --json} and colour. */
public final class OutputOptions {
  @Option(
      names = "--json",
      description = "Print JSON for scripts (stable field names, documented in the README).")
  boolean json;

  @Option(names = "--no-color", description = "Never colour the output (NO_COLOR does the same).")
  boolean noColor;

  /** Returns true when the command should print JSON instead of a table. */
  public boolean json() {
    return json;
  }

  /** Returns the terminal styling to use for human output. */
  public Terminal terminal() {
    return Terminal.detect(noColor);
  }

  /** Prints {@code value} as JSON on {@code out}. */
  public void printJson(PrintWriter out, Object value) {
    out.println(Json.write(value));
    out.flush();
  }
}
