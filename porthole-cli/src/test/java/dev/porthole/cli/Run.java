package dev.porthole.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs porthole in-process and keeps what it printed. */
record Run(int code, String out, String err) {
  static Run of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Porthole.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    return new Run(code, out.toString(), err.toString());
  }
}
