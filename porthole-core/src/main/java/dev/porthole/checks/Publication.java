package dev.porthole.checks;

import dev.porthole.attribution.PublishedPort;

/**
 * How a checked port is published by a container engine without a listener of its own (a DNAT rule
 * of the nat table, {@code userland-proxy=false}). Shown whether the container answers or not: the
 * socket table alone says nothing, or names dockerd. Field names are the JSON contract.
 *
 * @param summary one sentence: "published by Docker to container db (postgres:16) port 5432 via
 *     DNAT"
 * @param via always {@code dnat} for now: the only publication a socket table cannot explain
 * @param engine the engine that wrote the rule ("docker"), or null when no engine knows it
 * @param container the container's name, or null when the rule leads to no container it knows
 * @param image the container's image, or null
 * @param containerPort the container's port ("80/tcp"), or null
 * @param target where the rule sends the traffic: "10.214.7.2:80"
 * @param rule the nat table's rule, when it could be read
 */
public record Publication(
    String summary,
    String via,
    String engine,
    String container,
    String image,
    String containerPort,
    String target,
    String rule) {

  /** Returns the publication of a DNAT-published port. */
  public static Publication of(PublishedPort p) {
    if (p.origin() == null) {
      return new Publication(
          "published via DNAT to " + p.target() + " (no container the engine knows)",
          p.via(),
          null,
          null,
          null,
          null,
          p.target(),
          p.rule());
    }
    String engine = p.origin().detail("engine");
    String image = p.origin().detail("image");
    String containerPort = p.origin().detail("containerPort");
    String port = containerPort == null ? p.target() : containerPort.replace("/tcp", "");
    return new Publication(
        "published by "
            + capitalized(engine == null ? "an engine" : engine)
            + " to container "
            + p.origin().name()
            + (image == null || image.isEmpty() ? "" : " (" + image + ")")
            + " port "
            + port
            + " via DNAT",
        p.via(),
        engine,
        p.origin().name(),
        image,
        containerPort,
        p.target(),
        p.rule());
  }

  private static String capitalized(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
