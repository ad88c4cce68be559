package dev.porthole.attribution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what attribution needs of a process beyond {@code ProcessInfo}: its arguments one by one
 * (the command line joined by spaces loses their boundaries), its environment and its working
 * directory.
 */
public final class ProcessArgs {
  private final Path procRoot;

  public ProcessArgs(Path procRoot) {
    this.procRoot = procRoot;
  }

  /** Returns the arguments of {@code pid}, empty when it exited, is a kernel thread or hidden. */
  public List<String> argv(int pid) {
    byte[] raw;
    try {
      raw = Files.readAllBytes(procRoot.resolve(pid + "/cmdline"));
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
    List<String> args = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] == 0) {
        args.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    if (start < raw.length) {
      args.add(new String(raw, start, raw.length - start, StandardCharsets.UTF_8));
    }
    if (args.size() == 1 && args.getFirst().contains(" ")) {
      // A process that rewrote its title (setproctitle) leaves one space-joined string.
      return List.of(args.getFirst().split(" +"));
    }
    return args;
  }

  /**
   * Returns the value of environment variable {@code name} of {@code pid}, or null when it is
   * unset, empty or the environment is not ours to read (another user's process while not root).
   */
  public String env(int pid, String name) {
    try {
      String all = Files.readString(procRoot.resolve(pid + "/environ"), StandardCharsets.UTF_8);
      for (String entry : all.split("\0")) {
        if (entry.startsWith(name + "=") && entry.length() > name.length() + 1) {
          return entry.substring(name.length() + 1);
        }
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return null;
  }

  /** Returns the working directory of {@code pid}, or null when it cannot be read. */
  public Path cwd(int pid) {
    try {
      return Files.readSymbolicLink(procRoot.resolve(pid + "/cwd"));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
