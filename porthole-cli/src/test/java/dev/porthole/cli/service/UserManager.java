package dev.porthole.cli.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real systemd user manager ({@code systemd --user}) for one test, on a throwaway XDG_RUNTIME_DIR
 * and XDG_CONFIG_HOME. systemd refuses to run unless the machine was booted with it ({@code
 * /run/systemd/system} exists); a container is not, so the manager runs in a private mount
 * namespace whose {@code /run/systemd} is an empty tmpfs with that folder: the machine's own {@code
 * /run} is never touched. Needs root (unshare, mount), as the namespace tests do.
 */
final class UserManager implements AutoCloseable {
  private final Process process;
  private final Map<String, String> env;
  private final Path log;

  private UserManager(Process process, Map<String, String> env, Path log) {
    this.process = process;
    this.env = env;
    this.log = log;
  }

  /** Starts the manager and waits (at most 30 s) until {@code systemctl --user} reaches it. */
  static UserManager start(Path dir) throws IOException, InterruptedException {
    Path runtime = Files.createDirectories(dir.resolve("runtime"));
    Files.setPosixFilePermissions(
        runtime, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    Path config = Files.createDirectories(dir.resolve("config"));
    Map<String, String> env =
        Map.of("XDG_RUNTIME_DIR", runtime.toString(), "XDG_CONFIG_HOME", config.toString());
    Path log = dir.resolve("systemd.log");
    // exec: the manager replaces the shell, so destroying this process ends it (and the namespace).
    ProcessBuilder pb =
        new ProcessBuilder(
                "unshare",
                "--mount",
                "--propagation",
                "private",
                "sh",
                "-c",
                "mount -t tmpfs tmpfs /run/systemd && mkdir /run/systemd/system"
                    + " && exec /lib/systemd/systemd --user")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    UserManager manager = new UserManager(pb.start(), env, log);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (manager.systemctl("show-environment") != 0) {
      if (!manager.process.isAlive() || System.nanoTime() > deadline) {
        manager.close();
        throw new IllegalStateException("systemd --user did not answer: " + manager.log());
      }
      Thread.sleep(200);
    }
    return manager;
  }

  /** Returns XDG_RUNTIME_DIR and XDG_CONFIG_HOME as a child process needs them. */
  Map<String, String> env() {
    return env;
  }

  /** Runs {@code systemctl --user args} against this manager; returns its exit code. */
  int systemctl(String... args) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(concat(List.of("systemctl", "--user"), List.of(args)));
    pb.environment().putAll(env);
    Process p =
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }

  /** Runs {@code command} with this manager's XDG folders; returns its output (at most 30 s). */
  String output(String... command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    java.util.concurrent.CompletableFuture<byte[]> out =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              try {
                return p.getInputStream().readAllBytes();
              } catch (IOException e) {
                return new byte[0];
              }
            });
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + ": no end in 30 s");
    }
    return new String(out.join(), StandardCharsets.UTF_8);
  }

  /** Returns what the manager logged, for failure messages. */
  String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Ends the manager: SIGTERM stops its units first; SIGKILL after 20 s. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
