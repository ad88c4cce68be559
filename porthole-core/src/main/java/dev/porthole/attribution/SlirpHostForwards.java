package dev.porthole.attribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads where slirp4netns forwards a host port: its arguments name the namespace (a PID, or {@code
 * --netns-type=path PATH}) and its API socket ({@code --api-socket}, {@code -a}), which answers
 * {@code list_hostfwd} with each forward's host and guest port.
 */
final class SlirpHostForwards {
  private static final JsonMapper JSON = new JsonMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private SlirpHostForwards() {}

  /** Returns where slirp4netns {@code pid} run as {@code argv} sends host {@code port}. */
  static ForwardTarget target(int pid, List<String> argv, int port, NetNamespaces namespaces) {
    List<String> positional = positional(argv);
    String ns = null;
    if (positional.size() >= 2) {
      String where = positional.get(positional.size() - 2);
      boolean isPath = "path".equals(Argv.option(argv, "--netns-type", null));
      ns =
          isPath
              ? namespaces.ofPath(where, namespaces.uid(pid))
              : where.matches("\\d{1,9}") ? namespaces.of(Integer.parseInt(where)) : null;
    }
    String api = Argv.option(argv, "--api-socket", "-a");
    if (api == null) {
      return new ForwardTarget("slirp4netns", ns, -1, "slirp4netns runs without --api-socket");
    }
    try {
      String answer =
          new String(
              UnixHttp.exchange(Path.of(api), "{\"execute\":\"list_hostfwd\"}", TIMEOUT),
              StandardCharsets.UTF_8);
      for (JsonNode e : JSON.readTree(answer).path("entries")) {
        if (e.path("host_port").asInt() == port) {
          return new ForwardTarget("slirp4netns", ns, e.path("guest_port").asInt(-1), null);
        }
      }
      return new ForwardTarget("slirp4netns", ns, -1, "its API lists no forward of " + port);
    } catch (IOException | RuntimeException e) {
      return new ForwardTarget(
          "slirp4netns", ns, -1, "its API socket " + api + " did not answer: " + e.getMessage());
    }
  }

  /** Returns the arguments that are not options nor option values: "PID|PATH TAPNAME". */
  private static List<String> positional(List<String> argv) {
    List<String> valued = List.of("--api-socket", "-a", "--netns-type", "--userns-path", "--cidr");
    List<String> out = new ArrayList<>();
    for (int i = 1; i < argv.size(); i++) {
      String a = argv.get(i);
      if (valued.contains(a)) {
        i++;
      } else if (!a.startsWith("-")) {
        out.add(a);
      }
    }
    return out;
  }
}
