package dev.porthole.attribution;

/**
 * Returns a container that is not running but publishes a host port: who should be there.
 *
 * @param status the engine's state ("exited", "dead", "created")
 * @param exitCode its exit code (0 when it never ran)
 * @param finishedAt when it ended, as the engine writes it (RFC 3339), or null
 * @param binding the binding, as "127.0.0.1:8080->80/tcp"
 */
public record StoppedContainer(
    String id,
    String name,
    String image,
    String status,
    int exitCode,
    boolean oomKilled,
    String finishedAt,
    String binding) {}
