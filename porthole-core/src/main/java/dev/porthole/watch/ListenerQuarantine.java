package dev.porthole.watch;

/**
 * Returns what carries out the policy's {@code quarantine} action for the watch: freezes the
 * listener's process and cuts off its ports. Kept as an interface so that the watch does not
 * depend on the packet filter code ({@code dev.porthole.quarantine.PolicyQuarantine} implements
 * it).
 */
public interface ListenerQuarantine {
  /**
   * Quarantines the process that holds {@code listener}; returns the quarantine's id, or throws an
   * {@link IllegalStateException} whose message says in one line why not (a refusal, no
   * privilege, a failed filter command).
   */
  String quarantine(Listener listener);
}
