package dev.porthole.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway user for the rootless engine tests (useradd gives it subordinate ids), with {@code
 * /dev/net/tun} opened to it for slirp4netns while it lives; {@link #remove} kills its processes
 * (the engines' pause and slirp4netns processes outlive their containers), deletes it and its home
 * and gives {@code /dev/net/tun} its permissions back. Also the shell the tests run commands with.
 */
final class TestUser {
  private static final Path TUN = Path.of("/dev/net/tun");

  private final String name;
  private Set<PosixFilePermission> tunBefore;

  private TestUser(String name) {
    this.name = name;
  }

  /** What a shell command printed (stdout and stderr together) and its exit code. */
  record Result(int exit, String out) {}

  /** Makes user {@code name} (unless it exists) and opens {@code /dev/net/tun} to it. */
  static TestUser create(String name) throws Exception {
    TestUser user = new TestUser(name);
    if (sh("id " + name).exit() != 0) {
      check(sh("useradd -m -s /bin/sh " + name));
    }
    user.tunBefore = Files.getPosixFilePermissions(TUN);
    Files.setPosixFilePermissions(TUN, PosixFilePermissions.fromString("rw-rw-rw-"));
    return user;
  }

  String name() {
    return name;
  }

  /** Returns the user's id. */
  int uid() throws Exception {
    return Integer.parseInt(sh("id -u " + name).out().strip());
  }

  /** Runs {@code command} as the user in a login shell ({@code su - USER -c}). */
  Result run(String command) throws Exception {
    return sh("su - " + name + " -c '" + command + "'");
  }

  /** Kills the user's processes, deletes the user and its home, restores {@code /dev/net/tun}. */
  void remove() throws Exception {
    try {
      killProcesses();
      sh("userdel -r " + name);
    } finally {
      if (tunBefore != null) {
        Files.setPosixFilePermissions(TUN, tunBefore);
      }
    }
  }

  private void killProcesses() throws Exception {
    Result id = sh("id -u " + name);
    if (id.exit() != 0) {
      return;
    }
    int uid = Integer.parseInt(id.out().strip());
    for (int round = 0; round < 3; round++) {
      List<ProcessHandle> mine = new ArrayList<>();
      try (var dirs = Files.list(Path.of("/proc"))) {
        for (Path d : dirs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
          try {
            if ((Integer) Files.getAttribute(d, "unix:uid") == uid) {
              ProcessHandle.of(Long.parseLong(d.getFileName().toString())).ifPresent(mine::add);
            }
          } catch (IOException e) {
            // exited meanwhile
          }
        }
      }
      if (mine.isEmpty()) {
        return;
      }
      mine.forEach(ProcessHandle::destroyForcibly);
      Thread.sleep(500);
    }
  }

  /** Throws with the output unless {@code r} exited 0. */
  static void check(Result r) {
    if (r.exit() != 0) {
      throw new IllegalStateException("exit " + r.exit() + ": " + r.out().strip());
    }
  }

  /** Runs {@code command} with {@code sh -c}, at most 120 s. */
  static Result sh(String command) throws Exception {
    return sh(command, Duration.ofSeconds(120));
  }

  /**
   * Runs {@code command} with {@code sh -c} in a process group of its own, and kills that whole
   * group if it has not ended within {@code timeout}. The output goes to a file, not a pipe: a
   * child left running (a daemon, {@code sleep &}) that keeps the output open holds nothing up.
   */
  static Result sh(String command, Duration timeout) throws Exception {
    Path out = Files.createTempFile("porthole-testuser-", ".out");
    try {
      // setsid execs sh as the leader of a new session and process group: its pid is the group's.
      Process p =
          new ProcessBuilder("setsid", "sh", "-c", command)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        killGroup(p.pid());
        p.waitFor(5, TimeUnit.SECONDS);
        throw new IllegalStateException(
            command + ": no end within " + timeout.toSeconds() + " s (its process group killed)");
      }
      return new Result(p.exitValue(), new String(Files.readAllBytes(out), StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** Sends SIGKILL to every process of group {@code pgid}. */
  private static void killGroup(long pgid) throws Exception {
    Process kill =
        new ProcessBuilder("kill", "-KILL", "--", "-" + pgid)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!kill.waitFor(10, TimeUnit.SECONDS)) {
      kill.destroyForcibly();
    }
  }
}
