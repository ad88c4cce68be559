package dev.porthole.ports;

import java.util.List;

/**
 * Returns what a TCP connect scan found.
 *
 * @param host the address scanned
 * @param scanned how many ports were tried
 * @param open the ports that accepted a connection, ascending
 * @param filtered how many ports gave no answer within the timeout
 * @param millis how long the scan took
 * @param concurrency the most connections in flight at once, after any adaptation
 * @param notes what the scanner adapted to (short of file descriptors, of ephemeral ports)
 */
public record ScanResult(
    String host,
    int scanned,
    List<Integer> open,
    int filtered,
    double millis,
    int concurrency,
    List<String> notes) {}
