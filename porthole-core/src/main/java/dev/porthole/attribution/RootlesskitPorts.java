package dev.porthole.attribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Reads where rootlesskit's port driver forwards a host port. Its state directory ({@code
 * --state-dir}) holds {@code child_pid}, the first process of the namespace, and {@code api.sock},
 * whose {@code GET /v1/ports} lists each port's {@code parentPort} and {@code childPort}. Without
 * {@code --state-dir} (as {@code dockerd-rootless.sh} runs it) rootlesskit makes a temporary one
 * and tells its child through {@code ROOTLESSKIT_STATE_DIR}, which is read from the child's
 * environment.
 */
final class RootlesskitPorts {
  private static final JsonMapper JSON = new JsonMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private RootlesskitPorts() {}

  /** Returns where rootlesskit run as {@code argv} sends host {@code port}. */
  static ForwardTarget target(
      int pid, List<String> argv, int port, NetNamespaces namespaces, ProcessArgs args) {
    String stateDir = Argv.option(argv, "--state-dir", null);
    if (stateDir == null) {
      for (int child : namespaces.children(pid)) {
        stateDir = stateDir != null ? stateDir : args.env(child, "ROOTLESSKIT_STATE_DIR");
      }
    }
    if (stateDir == null) {
      return new ForwardTarget(
          "rootlesskit",
          null,
          -1,
          "rootlesskit's state directory is unknown (no --state-dir, its child's environment"
              + " unread: try sudo)");
    }
    Path dir = Path.of(stateDir);
    String ns = null;
    try {
      String child = Files.readString(dir.resolve("child_pid")).strip();
      ns = child.matches("\\d{1,9}") ? namespaces.of(Integer.parseInt(child)) : null;
    } catch (IOException | RuntimeException e) {
      // the API may still say the port; the namespace stays unknown
    }
    try {
      UnixHttp.Response r = UnixHttp.request(dir.resolve("api.sock"), "GET", "/v1/ports", TIMEOUT);
      if (r.status() != 200) {
        return new ForwardTarget("rootlesskit", ns, -1, "its API answered " + r.status());
      }
      for (JsonNode p : JSON.readTree(r.body())) {
        JsonNode spec = p.path("spec");
        if (spec.path("parentPort").asInt() == port) {
          return new ForwardTarget("rootlesskit", ns, spec.path("childPort").asInt(-1), null);
        }
      }
      return new ForwardTarget("rootlesskit", ns, -1, "its API lists no port " + port);
    } catch (IOException | RuntimeException e) {
      return new ForwardTarget(
          "rootlesskit",
          ns,
          -1,
          "its API socket in " + stateDir + " did not answer: " + e.getMessage());
    }
  }
}
