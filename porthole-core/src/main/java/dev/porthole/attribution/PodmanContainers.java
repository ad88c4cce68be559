package dev.porthole.attribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.porthole.checks.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A rootless Podman user's running containers, with image and port map, without reading Podman's
 * private database: its REST socket ({@code $XDG_RUNTIME_DIR/podman/podman.sock}) when it runs,
 * else {@code podman ps --format json} run as that user. Asked once per user per command or watch
 * cycle, and only when a Podman container's port is met.
 */
final class PodmanContainers {
  /**
   * Holds the JSON mapper, made on first use: every {@code Attributor} builds this class, and a
   * {@code who} that meets no Podman container should not pay Jackson's start (about 20 ms).
   */
  private static final class Json {
    static final JsonMapper MAPPER = new JsonMapper();
  }

  private final Path procRoot;
  private final CommandRunner runner;
  private final Map<Integer, JsonNode> byUid = new HashMap<>();
  private final Map<Integer, String> problemByUid = new HashMap<>();

  PodmanContainers(Path procRoot, CommandRunner runner) {
    this.procRoot = procRoot;
    this.runner = runner;
  }

  /**
   * Returns {@code origin} (a container named from conmon) with its image, compose project, the
   * container port that host {@code hostPort} maps to, and its published ports; or with why they
   * are unknown ({@code engineProblem}).
   *
   * @param conmon the container's conmon process, whose user and environment find the engine
   */
  Origin describe(Origin origin, int conmon, int hostPort) {
    int uid = uid(conmon);
    JsonNode list = byUid.computeIfAbsent(uid, u -> list(conmon, u));
    String id = origin.detail("id");
    for (JsonNode c : list) {
      if (id != null && c.path("Id").asText().startsWith(id)) {
        return described(origin, c, hostPort);
      }
    }
    String problem = problemByUid.get(uid);
    return problem == null ? origin : origin.with("engineProblem", problem);
  }

  private static Origin described(Origin origin, JsonNode c, int hostPort) {
    List<String> published = new ArrayList<>();
    String containerPort = null;
    for (JsonNode p : c.path("Ports")) {
      int host = p.path("host_port").asInt();
      int range = Math.max(1, p.path("range").asInt(1));
      int to = p.path("container_port").asInt();
      String proto = p.path("protocol").asText("tcp");
      String ip = p.path("host_ip").asText("");
      published.add((ip.isEmpty() ? "" : ip + ":") + host + "->" + to + "/" + proto);
      if (hostPort >= host && hostPort < host + range) {
        containerPort = (to + hostPort - host) + "/" + proto;
      }
    }
    JsonNode labels = c.path("Labels");
    Map<String, String> more = new LinkedHashMap<>(origin.details());
    more.put("image", c.path("Image").asText(null));
    more.put("composeProject", labels.path("com.docker.compose.project").asText(null));
    more.put("composeService", labels.path("com.docker.compose.service").asText(null));
    if (containerPort != null) {
      more.put("containerPort", containerPort);
    }
    more.put("published", String.join(" ", published));
    more.values().removeIf(v -> v == null || v.isEmpty());
    return new Origin(origin.kind(), origin.name(), more);
  }

  private JsonNode list(int conmon, int uid) {
    try {
      return Json.MAPPER.readTree(new PodmanEngine(procRoot, runner, conmon).list());
    } catch (EngineException e) {
      problemByUid.put(uid, e.getMessage());
    } catch (IOException | RuntimeException e) {
      problemByUid.put(uid, "podman's container list unread: " + e.getMessage());
    }
    return Json.MAPPER.createArrayNode();
  }

  private int uid(int pid) {
    try {
      return (Integer) Files.getAttribute(procRoot.resolve(Integer.toString(pid)), "unix:uid");
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
