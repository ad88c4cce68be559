package dev.porthole.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Returns the outcome of one in-process {@code porthole} run: exit code, stdout, stderr. */
record CliRun(int exit, String out, String err) {
  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Porthole.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }
}
