package dev.porthole.attribution;

import java.util.List;
import java.util.Map;

/**
 * Returns what the engine says about one running container.
 *
 * @param id the full 64-hex id
 * @param name without Docker's leading slash
 * @param addresses the container's IP address on each of its networks
 * @param ports each published port as "hostIp:hostPort->containerPort/proto"
 */
public record ContainerInfo(
    String id,
    String name,
    String image,
    Map<String, String> labels,
    List<String> addresses,
    List<String> ports) {
  public ContainerInfo {
    labels = Map.copyOf(labels);
    addresses = List.copyOf(addresses);
    ports = List.copyOf(ports);
  }

  /** Returns the docker-compose project label, or null. */
  public String composeProject() {
    return labels.get("com.docker.compose.project");
  }

  /** Returns the docker-compose service label, or null. */
  public String composeService() {
    return labels.get("com.docker.compose.service");
  }

  /** Returns the first 12 characters of the id, as {@code docker ps} shows it. */
  public String shortId() {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }
}
