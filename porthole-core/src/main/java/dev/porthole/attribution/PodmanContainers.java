package dev.porthole.attribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.porthole.checks.CommandRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
  private static final JsonMapper JSON = new JsonMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final long MY_UID = myUid();

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
    String runtimeDir = runtimeDir(conmon, uid);
    Path socket = Path.of(runtimeDir, "podman/podman.sock");
    try {
      if (Files.exists(socket)) {
        UnixHttp.Response r =
            UnixHttp.request(socket, "GET", "/v4.0.0/libpod/containers/json", TIMEOUT);
        if (r.status() == 200) {
          return JSON.readTree(r.body());
        }
      }
      CommandRunner.Output out = runner.run(psCommand(conmon, uid, runtimeDir));
      if (out.ok()) {
        return JSON.readTree(out.stdout());
      }
      problemByUid.put(uid, "podman ps failed: " + firstLine(out.stderr()));
    } catch (IOException | RuntimeException e) {
      problemByUid.put(uid, "podman's container list unread: " + e.getMessage());
    }
    return JSON.createArrayNode();
  }

  private List<String> psCommand(int conmon, int uid, String runtimeDir) throws IOException {
    List<String> ps = List.of("podman", "ps", "--format", "json");
    if (uid == MY_UID) {
      return ps;
    }
    if (MY_UID != 0) {
      throw new IOException("the containers are user " + uid + "'s; run porthole as them or root");
    }
    String user = Files.getOwner(procRoot.resolve(Integer.toString(conmon))).getName();
    List<String> command =
        new ArrayList<>(
            List.of("runuser", "-u", user, "--", "env", "XDG_RUNTIME_DIR=" + runtimeDir));
    command.addAll(ps);
    return command;
  }

  /** Returns conmon's XDG_RUNTIME_DIR (Podman's tmp dir when no session made one). */
  private String runtimeDir(int conmon, int uid) {
    try {
      byte[] env = Files.readAllBytes(procRoot.resolve(conmon + "/environ"));
      for (String kv : new String(env, StandardCharsets.UTF_8).split("\0")) {
        if (kv.startsWith("XDG_RUNTIME_DIR=")) {
          return kv.substring("XDG_RUNTIME_DIR=".length());
        }
      }
    } catch (IOException | RuntimeException e) {
      // not ours to read: the usual place
    }
    return "/run/user/" + uid;
  }

  private int uid(int pid) {
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
