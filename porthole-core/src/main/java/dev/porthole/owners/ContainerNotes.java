package dev.porthole.owners;

import dev.porthole.attribution.DockerEngine;
import dev.porthole.attribution.EngineException;
import dev.porthole.attribution.StoppedContainer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Returns the container part of "who was here": a container that publishes the port but is not
 * running, with its status, exit code and the last lines of its log, from the Docker Engine API.
 * Without an engine on this machine it says nothing (most machines have none).
 */
final class ContainerNotes {
  /** How many log lines are shown, as the issue asks. */
  static final int LOG_LINES = 20;

  private final DockerEngine engine;

  ContainerNotes(DockerEngine engine) {
    this.engine = engine;
  }

  /** Returns the lines for TCP {@code port}; one line when the engine could not be asked. */
  List<String> explain(int port) {
    if (engine.socket() == null || !Files.exists(engine.socket())) {
      return List.of();
    }
    List<String> lines = new ArrayList<>();
    try {
      for (StoppedContainer c : engine.stoppedPublishing(port)) {
        lines.add(summary(c));
        List<String> log = engine.logTail(c.id(), LOG_LINES);
        if (log.isEmpty()) {
          lines.add("its log is empty");
        } else {
          lines.add("its last " + log.size() + " log lines (docker logs " + c.name() + "):");
          log.forEach(l -> lines.add("  " + l));
        }
      }
    } catch (EngineException e) {
      lines.add("the Docker engine was not asked about containers: " + e.getMessage());
    }
    return lines;
  }

  private static String summary(StoppedContainer c) {
    String state =
        switch (c.status()) {
          case "exited" ->
              "exited with code "
                  + c.exitCode()
                  + (c.oomKilled() ? " (killed: out of memory)" : "")
                  + (c.finishedAt() == null ? "" : " at " + c.finishedAt());
          case "created" -> "was created but never started";
          default -> "is " + c.status() + " (exit code " + c.exitCode() + ")";
        };
    return "container "
        + c.name()
        + " ("
        + c.image()
        + ", "
        + c.id().substring(0, Math.min(12, c.id().length()))
        + ") publishes "
        + c.binding()
        + " but "
        + state
        + ": docker start "
        + c.name();
  }
}
