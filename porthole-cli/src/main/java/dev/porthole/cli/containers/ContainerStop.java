package dev.porthole.cli.containers;

import dev.porthole.attribution.DockerEngine;
import dev.porthole.attribution.EngineException;
import dev.porthole.attribution.Origin;
import dev.porthole.attribution.OriginKind;
import dev.porthole.attribution.PodmanEngine;
import dev.porthole.checks.CommandRunner;
import dev.porthole.cli.CliException;
import dev.porthole.cli.ExitCodes;
import dev.porthole.cli.OutputOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code kill} does to a port a container publishes: stop the container through its engine
 * (Docker's {@code POST /containers/{id}/stop}; rootless Podman's socket or {@code podman stop} as
 * its user) rather than kill docker-proxy or rootlessport, which would only leave the container
 * unreachable.
 */
public final class ContainerStop {
  private final OutputOptions output;
  private final PrintWriter out;
  private final DockerEngine engine;

  public ContainerStop(OutputOptions output, PrintWriter out, DockerEngine engine) {
    this.output = output;
    this.out = out;
    this.engine = engine;
  }

  /** Returns one container and what happened to it, as {@code kill --json} prints it. */
  public record Outcome(String container, String id, String image, String outcome, String detail) {}

  /** Returns the JSON document of {@code kill --json} for a container's port. */
  public record Report(int port, List<Outcome> containers) {}

  /** Returns the engine that runs {@code c}: a rootless one's own socket, else the system's. */
  private DockerEngine engineOf(Origin c) {
    String socket = c.detail("engineSocket");
    return socket == null ? engine : DockerEngine.at(Path.of(socket), Duration.ofSeconds(3));
  }

  /**
   * Returns the Podman engine of {@code c} when Podman runs it: found from the conmon that is the
   * parent of the container's process; null for a Docker container.
   */
  private static PodmanEngine podmanOf(Origin c, int seconds) throws EngineException {
    if (!"podman".equals(c.detail("engine"))) {
      return null;
    }
    int conmon =
        parseOr(c.detail("pid"))
            .flatMap(ProcessHandle::of)
            .flatMap(ProcessHandle::parent)
            .map(p -> (int) p.pid())
            .orElseThrow(() -> new EngineException("its conmon has exited"));
    // podman stop waits out the grace, and then some.
    CommandRunner runner = CommandRunner.system(Duration.ofSeconds(seconds + 30L));
    return new PodmanEngine(Path.of("/proc"), runner, conmon);
  }

  private static Optional<Long> parseOr(String pid) {
    try {
      return Optional.of(Long.parseLong(pid));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Returns the process that holds the host port for {@code c}'s engine. */
  private static String forwarder(Origin c) {
    String via = c.detail("via");
    return "podman".equals(c.detail("engine")) && via != null ? via : "docker-proxy";
  }

  /** Returns the containers among {@code origins} (docker-proxy's), in order, each once. */
  public static List<Origin> containers(List<Origin> origins) {
    return origins.stream()
        .filter(o -> o != null && o.kind().equals(OriginKind.CONTAINER.label()))
        .distinct()
        .toList();
  }

  /**
   * Asks (unless {@code yes}) and stops each container, giving it {@code grace} before the engine
   * kills it; returns the exit code.
   */
  public int stop(int port, List<Origin> containers, boolean yes, Duration grace) {
    for (Origin c : containers) {
      if (c.detail("id") == null) {
        throw CliException.failure(
            port
                + " is published by the container "
                + c.name()
                + ", which cannot be stopped: "
                + (c.detail("engineProblem") == null
                    ? "the engine does not know it"
                    : c.detail("engineProblem"))
                + "; pass --process to kill "
                + forwarder(c)
                + " instead");
      }
    }
    if (!yes && !confirmed(containers)) {
      out.println("nothing stopped");
      out.flush();
      return ExitCodes.NO;
    }
    int seconds = (int) Math.min(Integer.MAX_VALUE, grace.toSeconds());
    List<Outcome> outcomes = new ArrayList<>();
    boolean failed = false;
    for (Origin c : containers) {
      String id = c.detail("id");
      try {
        PodmanEngine podman = podmanOf(c, seconds);
        boolean wasRunning =
            podman != null ? podman.stop(id, seconds) : engineOf(c).stop(id, seconds);
        String how =
            podman != null ? "stopped " + podman.how() : "stopped through the Docker engine";
        outcomes.add(
            new Outcome(
                c.name(),
                id,
                c.detail("image"),
                wasRunning ? "stopped" : "not running",
                wasRunning ? how : "it had stopped already"));
      } catch (EngineException e) {
        failed = true;
        outcomes.add(new Outcome(c.name(), id, c.detail("image"), "failed", e.getMessage()));
      }
    }
    if (output.json()) {
      output.printJson(out, new Report(port, outcomes));
    } else {
      outcomes.forEach(
          o -> out.println("container " + o.container() + " (" + o.id() + "): " + o.detail()));
      out.flush();
    }
    return failed ? ExitCodes.FAILURE : ExitCodes.OK;
  }

  private boolean confirmed(List<Origin> containers) {
    if (output.json() || !output.terminal().interactive()) {
      throw CliException.usage(
          "not on a terminal: pass --yes to stop the container, or --process to kill "
              + forwarder(containers.getFirst()));
    }
    List<String> names =
        containers.stream().map(c -> c.name() + " (" + c.detail("id") + ")").toList();
    out.print("Stop container " + String.join(", ", names) + "? [y/N] ");
    out.flush();
    try {
      String answer =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      return answer != null
          && (answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes"));
    } catch (IOException e) {
      return false;
    }
  }
}
