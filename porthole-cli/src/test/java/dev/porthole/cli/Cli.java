package dev.porthole.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Returns the result of running a porthole command line in-process. */
record Cli(int exit, String out, String err) {
  static Cli run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Porthole.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
    return new Cli(exit, out.toString(), err.toString());
  }
}
