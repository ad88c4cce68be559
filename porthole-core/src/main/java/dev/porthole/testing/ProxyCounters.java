package dev.porthole.testing;

/**
 * The traffic a {@link LocalProxy} has carried since it started, across disable and enable: what a
 * test asserts to prove that its client really went through the proxy.
 *
 * @param connections connections accepted
 * @param openConnections connections open now
 * @param bytesUpstream bytes written to the upstream (client to server)
 * @param bytesDownstream bytes written to clients (server to client)
 * @since 0.1
 */
public record ProxyCounters(
    long connections, int openConnections, long bytesUpstream, long bytesDownstream) {

  /** Returns the bytes carried in both directions. */
  public long bytes() {
    return bytesUpstream + bytesDownstream;
  }

  /** Returns true when at least one connection was accepted. */
  public boolean sawTraffic() {
    return connections > 0;
  }
}
