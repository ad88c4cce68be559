package dev.porthole.checks;

import java.util.List;

/**
 * Returns the outcome of {@code porthole check}: the steps, what the server showed, and the
 * diagnosis when it is down. Field names are the JSON contract.
 *
 * @param target the target as given
 * @param up whether it answered as asked
 * @param steps the timed steps, in order
 * @param totalMillis the whole check, in milliseconds
 * @param addresses the addresses tried, in order
 * @param connected the address that connected, or null
 * @param tls the TLS handshake, or null
 * @param http the HTTP response, or null
 * @param diagnosis why it is down, or null
 * @param warnings things worth knowing even when it is up
 * @param published how a container engine publishes the port by a DNAT rule, up or down; null when
 *     it does not
 */
public record CheckResult(
    String target,
    boolean up,
    List<Step> steps,
    double totalMillis,
    List<String> addresses,
    String connected,
    TlsInfo tls,
    HttpInfo http,
    Diagnosis diagnosis,
    List<String> warnings,
    Publication published) {}
