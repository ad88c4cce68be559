package dev.porthole.proxy;

/**
 * Returns the counters of one running proxy.
 *
 * @param bytesUpstream bytes written to the upstream (client to server)
 * @param bytesDownstream bytes written to clients (server to client)
 * @param connectionsTotal connections accepted since the proxy started
 * @param connectionsOpen connections open now
 */
public record ProxyStats(
    long bytesUpstream, long bytesDownstream, long connectionsTotal, int connectionsOpen) {}
