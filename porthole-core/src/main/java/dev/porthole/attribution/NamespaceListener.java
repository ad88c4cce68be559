package dev.porthole.attribution;

import dev.porthole.sockets.SocketEntry;

/**
 * Returns a listener inside another network namespace than porthole's own, which the host's {@code
 * /proc/net} tables do not show and no host address reaches.
 *
 * @param namespace the namespace's identity, as {@code /proc/PID/ns/net} links it ("net:[4026532]")
 * @param pid the process whose {@code /proc/PID/net} was read (one per namespace)
 * @param process that process's short name
 * @param origin the container that owns the namespace, or "network namespace of PID N"
 */
public record NamespaceListener(
    String namespace, int pid, String process, SocketEntry socket, Origin origin) {}
