package dev.porthole.cli.service;

import dev.porthole.cli.ExitCodes;
import dev.porthole.cli.OutputOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * What a {@code service} subcommand did: each change and each systemctl run, printed as it happens
 * for people, or as one JSON object at the end ({@code --json}).
 */
final class ServiceReport {
  private final PrintWriter out;
  private final PrintWriter err;
  private final OutputOptions output;
  private final Map<String, Object> json = new LinkedHashMap<>();
  private final List<String> changed = new ArrayList<>();
  private final List<Map<String, Object>> ran = new ArrayList<>();

  ServiceReport(CommandLine cmd, OutputOptions output, Path unit) {
    this.out = cmd.getOut();
    this.err = cmd.getErr();
    this.output = output;
    json.put("unit", unit.toString());
    json.put("changed", changed);
    json.put("ran", ran);
  }

  /** Records and prints one change to the system, e.g. "wrote ~/.config/...". */
  void changed(String what) {
    changed.add(what);
    if (!output.json()) {
      out.println(what);
      out.flush();
    }
  }

  /** Runs {@code systemctl --user args}; returns whether it succeeded (a failure is printed). */
  boolean ran(Systemctl systemctl, String... args) {
    Systemctl.Result result;
    try {
      result = systemctl.run(args);
    } catch (IOException e) {
      err.println("porthole: cannot run systemctl: " + e.getMessage());
      return false;
    }
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("command", result.shown());
    entry.put("exit", result.exit());
    ran.add(entry);
    if (!output.json()) {
      out.println("ran: " + result.shown());
      out.flush();
    }
    if (result.exit() != 0) {
      err.println("porthole: " + result.shown() + " failed: " + result.reason());
      return false;
    }
    return true;
  }

  /** Adds a field to the JSON answer. */
  void put(String key, Object value) {
    json.put(key, value);
  }

  /** Says there is no user systemd, prints what to run instead, and returns exit 3. */
  int noSystemd(String reason, List<String> todo) {
    json.put("systemd", false);
    json.put("reason", reason);
    json.put("todo", todo);
    if (!output.json()) {
      err.println("porthole: no systemd user manager here (" + reason + ")");
      out.println("run these yourself where a user systemd runs:");
      todo.forEach(line -> out.println("  " + line));
      out.flush();
    }
    return finish(ExitCodes.FAILURE);
  }

  /** Prints the JSON answer when asked for, and returns {@code exit}. */
  int finish(int exit) {
    json.putIfAbsent("systemd", true);
    if (output.json()) {
      output.printJson(out, json);
    }
    return exit;
  }
}
