package dev.porthole.attribution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads the DNAT rules of this network namespace's nat table with {@code iptables-save -t nat}
 * (iptables-nft prints nftables' rules the same way). Reading it needs root; without it, or without
 * the command, {@link #read()} returns no rules and {@link #problem()} says why.
 */
public final class NatTable {
  private static final long WAIT_SECONDS = 5;
  private final List<String> command;
  private String problem;

  /** Creates a reader that runs {@code command} (normally {@code iptables-save -t nat}). */
  public NatTable(List<String> command) {
    if (command == null || command.isEmpty()) {
      throw new IllegalArgumentException("command: empty");
    }
    this.command = List.copyOf(command);
  }

  /** Returns the reader of this machine's nat table. */
  public static NatTable system() {
    return new NatTable(List.of("iptables-save", "-t", "nat"));
  }

  /** Returns the DNAT rules in the text {@code iptables-save} printed. */
  public static List<DnatRule> parse(String text) {
    List<DnatRule> rules = new ArrayList<>();
    for (String line : text.split("\n")) {
      DnatRule r = DnatRule.parse(line);
      if (r != null) {
        rules.add(r);
      }
    }
    return rules;
  }

  /** Returns the table's DNAT rules, or none when it cannot be read (see {@link #problem()}). */
  public List<DnatRule> read() {
    Path file;
    Process p;
    try {
      // Output goes to a file, so that the wait below bounds a command that hangs silently.
      file = Files.createTempFile("porthole-nat", ".txt");
    } catch (IOException e) {
      problem = "nat table not read: " + e.getMessage();
      return List.of();
    }
    try {
      try {
        p =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(file.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
      } catch (IOException e) {
        problem = "nat table not read: " + command.getFirst() + " is not installed";
        return List.of();
      }
      if (!p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        problem = "nat table not read: " + command.getFirst() + " did not end within 5 s";
        return List.of();
      }
      String text = Files.readString(file, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        String first = text.strip().lines().findFirst().orElse("exit " + p.exitValue());
        problem =
            "nat table not read: "
                + (first.contains("ermission denied") ? "needs root (try sudo)" : first);
        return List.of();
      }
      return parse(text);
    } catch (IOException e) {
      problem = "nat table not read: " + e.getMessage();
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      problem = "nat table not read: interrupted";
      return List.of();
    } finally {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a temp file left behind is harmless
      }
    }
  }

  /** Returns why the last {@link #read()} found no table, or null when it read one. */
  public String problem() {
    return problem;
  }
}
