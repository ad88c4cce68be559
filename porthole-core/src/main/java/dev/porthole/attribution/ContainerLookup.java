package dev.porthole.attribution;

import java.util.ArrayList;
import java.util.List;

/**
 * Joins docker-proxy's arguments with the engine's container list, asked once per command or watch
 * cycle (never per socket); remembers why the engine could not be asked.
 */
public final class ContainerLookup {
  private final DockerEngine engine;
  private List<ContainerInfo> containers;
  private String problem;

  public ContainerLookup(DockerEngine engine) {
    this.engine = engine;
  }

  /** Returns the running containers, asking the engine on the first call only. */
  public List<ContainerInfo> containers() {
    if (containers == null) {
      try {
        containers = engine.containers();
      } catch (EngineException e) {
        containers = List.of();
        problem = e.getMessage();
      }
    }
    return containers;
  }

  /**
   * Returns the container origin of a docker-proxy: the container whose address is {@code
   * args.containerIp()}, or {@code fallback} (named by address) when the engine is unknown.
   */
  public Origin name(DockerProxyArgs args, Origin fallback) {
    if (args == null) {
      return fallback;
    }
    for (ContainerInfo c : containers()) {
      if (c.addresses().contains(args.containerIp())) {
        return of(c, args.containerPort() + "/" + args.proto())
            .with("containerIp", args.containerIp());
      }
    }
    return problem == null ? fallback : fallback.with("engineProblem", problem);
  }

  /**
   * Returns the origin of the container that publishes host {@code port} ({@code proto}), or null:
   * what dockerd's own socket on a port published with {@code userland-proxy=false} is for.
   */
  public Origin byHostPort(int port, String proto) {
    Origin o = byPublishedPort(port, proto);
    return o == null ? null : o.with("via", "dnat");
  }

  /**
   * Returns the origin of the container whose published ports include host {@code port} ({@code
   * proto}, or any when null), or null.
   */
  public Origin byPublishedPort(int port, String proto) {
    for (ContainerInfo c : containers()) {
      for (String mapping : c.ports()) {
        PublishedPorts.Mapping m = PublishedPorts.Mapping.parse(mapping);
        if (m != null && m.port() == port && (proto == null || proto.startsWith(m.protocol()))) {
          return of(c, m.to() + "/" + m.protocol());
        }
      }
    }
    return null;
  }

  /** Returns why the engine could not be asked, or null (also before it was asked). */
  public String problem() {
    return problem;
  }

  /** Returns the container {@code id} (full or short), or null. */
  public ContainerInfo byId(String id) {
    for (ContainerInfo c : containers()) {
      if (c.id().startsWith(id)) {
        return c;
      }
    }
    return null;
  }

  /** Returns the origin describing container {@code c}, reached on {@code containerPort}. */
  public static Origin of(ContainerInfo c, String containerPort) {
    return Origin.of(
        OriginKind.CONTAINER,
        c.name(),
        "engine",
        "docker",
        "id",
        c.shortId(),
        "image",
        c.image(),
        "composeProject",
        c.composeProject(),
        "composeService",
        c.composeService(),
        "containerPort",
        containerPort,
        "published",
        String.join(" ", c.ports()));
  }

  /** Returns why the engine could not be asked, as notes (none when it answered). */
  public List<String> notes() {
    List<String> notes = new ArrayList<>();
    if (problem != null) {
      notes.add("container names unknown: " + problem);
    }
    return notes;
  }
}
