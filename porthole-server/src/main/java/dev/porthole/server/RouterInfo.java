package dev.porthole.server;

/**
 * Returns where the daemon's router listens, once it does.
 *
 * @param httpPort the bound HTTP port, or -1 when off
 * @param httpsPort the bound HTTPS port, or -1 when off
 * @param caCertificate the local CA's certificate file (for {@code curl --cacert})
 * @param tls the TLS implementation of the HTTPS listener: "OpenSSL (BoringSSL)" or "JDK (why)"
 */
public record RouterInfo(int httpPort, int httpsPort, String caCertificate, String tls) {}
