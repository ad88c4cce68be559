package dev.porthole.attribution;

/**
 * Where a forwarder into a network namespace (rootlesskit, slirp4netns, pasta) sends one host port.
 *
 * @param tool the forwarder's name
 * @param ns the namespace as {@code /proc} names it ({@code net:[N]}), or null when unknown
 * @param guestPort the port inside, or -1 when the forwarder could not be asked
 * @param problem why something is unknown (an API socket not answering), or null
 */
record ForwardTarget(String tool, String ns, int guestPort, String problem) {}
