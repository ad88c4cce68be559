package dev.porthole.checks;

import java.util.Map;

/**
 * Returns what an HTTP response looked like.
 *
 * @param status the status code
 * @param reason the reason phrase
 * @param headers a few key headers (server, content-type, content-length, location, …)
 * @param bodyBytes the body size as received (chunked framing removed)
 */
public record HttpInfo(int status, String reason, Map<String, String> headers, long bodyBytes) {}
