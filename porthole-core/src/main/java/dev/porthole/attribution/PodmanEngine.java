package dev.porthole.attribution;

import dev.porthole.checks.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The rootless Podman engine of one container's user, found from the container's conmon: its REST
 * socket ({@code $XDG_RUNTIME_DIR/podman/podman.sock}) when it runs, else the {@code podman}
 * command run as that user ({@code runuser -u USER}, as root). Podman has no system daemon to ask,
 * and its database is private, so this is how porthole both lists and stops such containers.
 */
public final class PodmanEngine {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final long MY_UID = myUid();

  private final Path procRoot;
  private final CommandRunner runner;
  private final int conmon;
  private final int uid;
  private final String runtimeDir;

  /**
   * Returns the engine of the container that {@code conmon} (a conmon process) supervises.
   *
   * @param procRoot {@code /proc}, or a written tree in tests
   */
  public PodmanEngine(Path procRoot, CommandRunner runner, int conmon) {
    this.procRoot = procRoot;
    this.runner = runner;
    this.conmon = conmon;
    this.uid = uid(procRoot, conmon);
    String dir = new ProcessArgs(procRoot).env(conmon, "XDG_RUNTIME_DIR");
    // Podman's tmp dir when no login session made one: the usual place.
    this.runtimeDir = dir != null ? dir : "/run/user/" + uid;
  }

  /** Returns the owner of the containers, by user id; -1 when conmon exited. */
  int uid() {
    return uid;
  }

  /** Returns the REST socket when it exists, else null. */
  Path socket() {
    Path socket = Path.of(runtimeDir, "podman/podman.sock");
    return Files.exists(socket) ? socket : null;
  }

  /**
   * Returns the JSON list of running containers ({@code libpod/containers/json}, the same as {@code
   * podman ps --format json}).
   */
  String list() throws EngineException {
    Path socket = socket();
    if (socket != null) {
      UnixHttp.Response r = get(socket, "GET", "/v4.0.0/libpod/containers/json", TIMEOUT);
      if (r != null && r.status() == 200) {
        return r.body();
      }
    }
    CommandRunner.Output out = runner.run(podman(List.of("ps", "--format", "json")));
    if (!out.ok()) {
      throw new EngineException("podman ps failed: " + firstLine(out.stderr()));
    }
    return out.stdout();
  }

  /**
   * Stops container {@code id}, giving it {@code graceSeconds} before Podman kills it; returns
   * false when it was not running.
   */
  public boolean stop(String id, int graceSeconds) throws EngineException {
    Path socket = socket();
    if (socket != null) {
      String path = "/v4.0.0/libpod/containers/" + id + "/stop?timeout=" + graceSeconds;
      UnixHttp.Response r = get(socket, "POST", path, TIMEOUT.plusSeconds(graceSeconds));
      if (r != null) {
        return switch (r.status()) {
          case 204 -> true;
          case 304 -> false;
          default ->
              throw new EngineException(
                  "Podman answered " + r.status() + ": " + firstLine(r.body()));
        };
      }
    }
    CommandRunner.Output out =
        runner.run(podman(List.of("stop", "-t", Integer.toString(graceSeconds), id)));
    if (!out.ok()) {
      throw new EngineException("podman stop failed: " + firstLine(out.stderr()));
    }
    return true;
  }

  /** Returns how to say what Podman did, for {@code kill}'s output. */
  public String how() {
    return socket() != null ? "through Podman's socket" : "with podman stop as its user";
  }

  private static UnixHttp.Response get(Path socket, String method, String path, Duration t) {
    try {
      return UnixHttp.request(socket, method, path, t);
    } catch (IOException | RuntimeException e) {
      return null; // a socket file with no service behind it: the command instead
    }
  }

  private List<String> podman(List<String> args) throws EngineException {
    List<String> command = new ArrayList<>();
    if (uid != MY_UID) {
      if (MY_UID != 0) {
        throw new EngineException(
            "the containers are user " + uid + "'s; run porthole as them or root");
      }
      String user;
      try {
        user = Files.getOwner(procRoot.resolve(Integer.toString(conmon))).getName();
      } catch (IOException | RuntimeException e) {
        throw new EngineException("conmon " + conmon + " exited");
      }
      // From /: the caller's working directory may be closed to that user (a 0700 checkout), and
      // podman then fails before it starts.
      command.addAll(
          List.of("runuser", "-u", user, "--", "env", "-C", "/", "XDG_RUNTIME_DIR=" + runtimeDir));
    }
    command.add("podman");
    command.addAll(args);
    return command;
  }

  private static int uid(Path procRoot, int pid) {
    try {
      return (Integer) Files.getAttribute(procRoot.resolve(Integer.toString(pid)), "unix:uid");
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static String firstLine(String text) {
    String line = text.strip().lines().findFirst().orElse("no output");
    return line.length() > 200 ? line.substring(0, 200) : line;
  }

  private static long myUid() {
    try {
      return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
