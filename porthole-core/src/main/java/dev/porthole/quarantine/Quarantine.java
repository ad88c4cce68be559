package dev.porthole.quarantine;

import java.util.List;

/**
 * One frozen process and the DROP rules that cut it off.
 *
 * @param startTicks the process's start time in clock ticks since boot: with the pid it names one
 *     process, so a release never sends SIGCONT to a newcomer that reused the pid
 * @param ports its listening sockets when it was frozen, as {@code tcp/8080}
 * @param ruleIds the ids of the firewall rules ({@code porthole:ID}) that block them
 * @param releasedMs when it was released, or null while in force
 */
public record Quarantine(
    String id,
    int pid,
    long startTicks,
    String name,
    String exe,
    String sha256,
    List<String> ports,
    List<String> ruleIds,
    long createdMs,
    Long releasedMs) {
  public Quarantine {
    ports = List.copyOf(ports);
    ruleIds = List.copyOf(ruleIds);
  }
}
