package dev.porthole.attribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.SocketException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Docker Engine API on its unix socket ({@code DOCKER_HOST=unix://...}, else {@code
 * /var/run/docker.sock}): lists running containers and stops one, finds the stopped ones that
 * publish a port, and reads their logs. Every failure becomes an {@link
 * EngineException} whose message says why (no engine, permission, timeout, garbage).
 */
public final class DockerEngine {
  private static final Path DEFAULT_SOCKET = Path.of("/var/run/docker.sock");

  /**
   * Holds the JSON mapper, made on first use: a {@code who} that never asks the engine skips
   * Jackson's start.
   */
  private static final class Json {
    static final JsonMapper MAPPER = new JsonMapper();
  }

  private final Path socket;
  private final String unusable;
  private final Duration timeout;

  private DockerEngine(Path socket, String unusable, Duration timeout) {
    this.socket = socket;
    this.unusable = unusable;
    this.timeout = timeout;
  }

  /** Returns the engine on {@code socket}, waiting at most {@code timeout} for each answer. */
  public static DockerEngine at(Path socket, Duration timeout) {
    return new DockerEngine(socket, null, timeout);
  }

  /** Returns the engine {@code DOCKER_HOST} names, or the one on /var/run/docker.sock. */
  public static DockerEngine local() {
    return fromHost(System.getenv("DOCKER_HOST"));
  }

  static DockerEngine fromHost(String dockerHost) {
    Duration timeout = Duration.ofSeconds(3);
    if (dockerHost == null || dockerHost.isBlank()) {
      return at(DEFAULT_SOCKET, timeout);
    }
    if (dockerHost.startsWith("unix://")) {
      return at(Path.of(dockerHost.substring("unix://".length())), timeout);
    }
    return new DockerEngine(
        null,
        "DOCKER_HOST=" + dockerHost + " is not a unix:// socket; only those are read",
        timeout);
  }

  /** Returns the socket asked, or null when DOCKER_HOST names something else. */
  public Path socket() {
    return socket;
  }

  /** Returns the running containers. */
  public List<ContainerInfo> containers() throws EngineException {
    JsonNode list = parse(call("GET", "/containers/json"));
    if (!list.isArray()) {
      throw new EngineException(where() + " sent no container list");
    }
    List<ContainerInfo> containers = new ArrayList<>();
    for (JsonNode c : list) {
      containers.add(container(c));
    }
    return containers;
  }

  /**
   * Stops container {@code id}, giving it {@code graceSeconds} before the engine kills it; returns
   * false when it was not running.
   */
  public boolean stop(String id, int graceSeconds) throws EngineException {
    UnixHttp.Response r =
        request(
            "POST",
            "/containers/" + id + "/stop?t=" + graceSeconds,
            timeout.plusSeconds(graceSeconds));
    return switch (r.status()) {
      case 204 -> true;
      case 304 -> false;
      default -> throw failed(r);
    };
  }

  /**
   * Returns the containers that are not running (exited, dead, created) and whose port bindings
   * publish TCP {@code hostPort}, most recently finished first.
   */
  public List<StoppedContainer> stoppedPublishing(int hostPort) throws EngineException {
    JsonNode list =
        parse(
            call(
                "GET",
                "/containers/json?all=1&filters="
                    + URLEncoder.encode(
                        "{\"status\":[\"exited\",\"dead\",\"created\"]}",
                        StandardCharsets.UTF_8)));
    List<StoppedContainer> found = new ArrayList<>();
    for (JsonNode c : list) {
      JsonNode inspect = parse(call("GET", "/containers/" + c.path("Id").asText() + "/json"));
      String binding = binding(inspect.path("HostConfig").path("PortBindings"), hostPort);
      if (binding != null) {
        JsonNode state = inspect.path("State");
        String name = inspect.path("Name").asText();
        found.add(
            new StoppedContainer(
                inspect.path("Id").asText(),
                name.startsWith("/") ? name.substring(1) : name,
                inspect.path("Config").path("Image").asText(),
                state.path("Status").asText(),
                state.path("ExitCode").asInt(),
                state.path("OOMKilled").asBoolean(),
                state.hasNonNull("FinishedAt") ? state.get("FinishedAt").asText() : null,
                binding));
      }
    }
    found.sort(
        Comparator.comparing(
                (StoppedContainer s) -> s.finishedAt() == null ? "" : s.finishedAt())
            .reversed());
    return found;
  }

  /** Returns the last {@code lines} lines of container {@code id}'s stdout and stderr. */
  public List<String> logTail(String id, int lines) throws EngineException {
    UnixHttp.Response r =
        request(
            "GET", "/containers/" + id + "/logs?stdout=1&stderr=1&tail=" + lines, timeout);
    if (r.status() != 200) {
      throw failed(r);
    }
    List<String> all = ContainerLogs.lines(r.bytes());
    return all.subList(Math.max(0, all.size() - lines), all.size());
  }

  // "127.0.0.1:8080->80/tcp" for the binding of TCP host port `port`, or null.
  private static String binding(JsonNode bindings, int port) {
    Iterator<Map.Entry<String, JsonNode>> fields = bindings.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      if (!e.getKey().endsWith("/tcp")) {
        continue;
      }
      for (JsonNode b : e.getValue()) {
        if (b.path("HostPort").asText().equals(Integer.toString(port))) {
          String ip = b.path("HostIp").asText();
          return (ip.isEmpty() ? "0.0.0.0" : ip) + ":" + port + "->" + e.getKey();
        }
      }
    }
    return null;
  }

  private String call(String method, String path) throws EngineException {
    UnixHttp.Response r = request(method, path, timeout);
    if (r.status() != 200) {
      throw failed(r);
    }
    return r.body();
  }

  private UnixHttp.Response request(String method, String path, Duration wait)
      throws EngineException {
    if (unusable != null) {
      throw new EngineException(unusable);
    }
    if (!Files.exists(socket)) {
      throw new EngineException("no Docker engine here: " + socket + " does not exist");
    }
    try {
      return UnixHttp.request(socket, method, path, wait);
    } catch (UnixHttp.DeadlineException e) {
      throw new EngineException(where() + " did not answer: " + e.getMessage());
    } catch (UnixHttp.GarbageException e) {
      throw new EngineException(where() + " sent garbage: " + e.getMessage());
    } catch (SocketException e) {
      String m = String.valueOf(e.getMessage());
      if (m.contains("Permission denied")) {
        throw new EngineException(
            "cannot use "
                + socket
                + ": permission denied (join its group, usually docker, or"
                + " use sudo)");
      }
      if (m.contains("Connection refused")) {
        throw new EngineException("no Docker engine answers on " + socket + " (a stale socket)");
      }
      throw new EngineException(where() + ": " + m);
    } catch (IOException e) {
      throw new EngineException(where() + ": " + e.getMessage());
    }
  }

  private EngineException failed(UnixHttp.Response r) {
    String message = r.body().strip();
    try {
      JsonNode node = Json.MAPPER.readTree(r.body());
      if (node != null && node.hasNonNull("message")) {
        message = node.get("message").asText();
      }
    } catch (IOException ignored) {
      // not JSON: the raw body is the best reason we have
    }
    return new EngineException(where() + " answered " + r.status() + ": " + message);
  }

  private JsonNode parse(String body) throws EngineException {
    try {
      return Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new EngineException(where() + " sent garbage: not JSON");
    }
  }

  private String where() {
    return "the Docker engine on " + socket;
  }

  private static ContainerInfo container(JsonNode c) {
    String name = c.path("Names").path(0).asText(c.path("Id").asText());
    Map<String, String> labels = new LinkedHashMap<>();
    c.path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    List<String> addresses = new ArrayList<>();
    c.path("NetworkSettings")
        .path("Networks")
        .forEach(
            n -> {
              if (!n.path("IPAddress").asText().isEmpty()) {
                addresses.add(n.path("IPAddress").asText());
              }
            });
    List<String> ports = new ArrayList<>();
    for (JsonNode p : c.path("Ports")) {
      if (p.has("PublicPort")) {
        ports.add(
            p.path("IP").asText()
                + ":"
                + p.path("PublicPort").asInt()
                + "->"
                + p.path("PrivatePort").asInt()
                + "/"
                + p.path("Type").asText());
      }
    }
    return new ContainerInfo(
        c.path("Id").asText(),
        name.startsWith("/") ? name.substring(1) : name,
        c.path("Image").asText(),
        labels,
        addresses,
        ports);
  }
}
