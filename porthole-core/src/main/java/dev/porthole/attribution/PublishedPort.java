package dev.porthole.attribution;

/**
 * One port a container engine published on the host, and how it is reached: by docker-proxy's
 * socket, by another holder (Podman's rootlessport) or by a DNAT rule with no socket at all.
 *
 * @param protocol "tcp" or "udp"
 * @param address the host address it is published on ({@code 0.0.0.0}, {@code 127.0.0.1}, ...)
 * @param port the host port
 * @param via {@code docker-proxy}, {@code listener} (another process holds the port) or {@code
 *     dnat} (no socket: the nat table sends the traffic on)
 * @param pid the process holding the host port; for {@code dnat}, dockerd when it reserves the port
 *     with a socket it never accepts on, else null
 * @param process that process's name, or null
 * @param origin the container, or null when a DNAT rule leads to no container the engine knows
 * @param target where the traffic goes: "10.214.7.2:80"
 * @param rule the nat table's rule, when it was read and one matches
 */
public record PublishedPort(
    String protocol,
    String address,
    int port,
    String via,
    Integer pid,
    String process,
    Origin origin,
    String target,
    String rule) {

  /** Returns one sentence for people: "published by Docker to container web via DNAT". */
  public String summary() {
    String to =
        origin == null
            ? "to " + target
            : "by " + engine() + " to container " + origin.name() + " port " + containerPort();
    return "published "
        + to
        + switch (via) {
          case "dnat" ->
              " via DNAT"
                  + (rule == null ? "" : " (" + rule + ")")
                  + (pid == null
                      ? ""
                      : "; " + process + " (pid " + pid + ") only reserves the port");
          case "docker-proxy" -> " via docker-proxy (pid " + pid + ")";
          default -> " via " + process + " (pid " + pid + ")";
        };
  }

  private String engine() {
    String e = origin.detail("engine");
    return e == null ? "an engine" : Character.toUpperCase(e.charAt(0)) + e.substring(1);
  }

  private String containerPort() {
    String p = origin.detail("containerPort");
    return p == null ? target : p;
  }
}
