package dev.porthole.server.dashboard;

import dev.porthole.server.ApiError;
import dev.porthole.watch.Listener;
import dev.porthole.watch.ProcessDetails;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Returns a port's detail for the page, and ends its holder when the page asks. */
final class PortDetail {
  /** How long the kill route waits to report that the process exited. */
  private static final long EXIT_WAIT_MILLIS = 2_000;

  private PortDetail() {}

  /** Returns the listener's row plus its process in detail (executable, hash, parents, start). */
  static Map<String, Object> of(Listener l) {
    Map<String, Object> m = new LinkedHashMap<>(PortViews.row(l));
    m.put("processDetails", l.owner());
    return m;
  }

  /**
   * Sends SIGTERM to {@code pid}, which must hold {@code port} now; refuses the daemon itself.
   *
   * @return {@code {"port":…,"pid":…,"name":…,"exited":true|false}}
   */
  static Map<String, Object> kill(int port, int pid, List<Listener> holders) {
    if (pid == ProcessHandle.current().pid()) {
      throw ApiError.conflict(
          "pid " + pid + " is the porthole daemon itself; stop it where it runs instead");
    }
    ProcessDetails owner =
        holders.stream()
            .map(Listener::owner)
            .filter(o -> o != null && o.pid() == pid)
            .findFirst()
            .orElseThrow(
                () ->
                    ApiError.notFound(
                        "pid " + pid + " does not hold port " + port + " (did it exit already?)"));
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty()) {
      throw ApiError.notFound("pid " + pid + " has exited");
    }
    if (!handle.get().destroy()) {
      throw ApiError.conflict(
          "cannot signal " + owner.label() + ": not permitted (another user's process?)");
    }
    boolean exited;
    try {
      handle.get().onExit().get(EXIT_WAIT_MILLIS, TimeUnit.MILLISECONDS);
      exited = true;
    } catch (TimeoutException | ExecutionException e) {
      exited = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exited = false;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("port", port);
    out.put("pid", pid);
    out.put("name", owner.name());
    out.put("exited", exited);
    return out;
  }
}
