package dev.porthole.checks;

/**
 * Returns what a TLS handshake showed about the server.
 *
 * @param protocol e.g. "TLSv1.3"
 * @param cipher the negotiated cipher suite
 * @param subject the server certificate's subject
 * @param issuer the server certificate's issuer
 * @param notAfter the certificate's expiry, ISO-8601
 * @param selfSigned whether the certificate signs itself
 * @param trusted whether the JDK's default trust store accepts the chain
 */
public record TlsInfo(
    String protocol,
    String cipher,
    String subject,
    String issuer,
    String notAfter,
    boolean selfSigned,
    boolean trusted) {}
