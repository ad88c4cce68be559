package dev.porthole.watch;

import java.util.List;

/**
 * Returns what a machine is expected to listen on, and what to do with everything else.
 *
 * <p>Loaded from YAML by {@link PolicyFile}; see the README's "Watch" section for an example.
 *
 * @param unexpected what to do with a listener no rule covers
 * @param mismatch what to do with a listener on a covered port whose process, user or scope the
 *     rules do not allow ("a process listening on a port that policy gives to another")
 * @param exposure what to do with a listener reachable from the network that no rule allows
 * @param down what to do when an expected service is not listening
 * @param expected the expected listeners
 * @param services the services that must be listening
 */
public record Policy(
    PolicyAction unexpected,
    PolicyAction mismatch,
    PolicyAction exposure,
    PolicyAction down,
    List<PolicyRule> expected,
    List<ExpectedService> services) {

  /** The policy in force when there is no policy file: no rules, so no violations. */
  public static final Policy NONE =
      new Policy(
          PolicyAction.IGNORE,
          PolicyAction.IGNORE,
          PolicyAction.EVENT,
          PolicyAction.ALERT,
          List.of(),
          List.of());

  public Policy {
    unexpected = unexpected == null ? PolicyAction.EVENT : unexpected;
    mismatch = mismatch == null ? PolicyAction.ALERT : mismatch;
    exposure = exposure == null ? PolicyAction.EVENT : exposure;
    down = down == null ? PolicyAction.ALERT : down;
    expected = expected == null ? List.of() : List.copyOf(expected);
    services = services == null ? List.of() : List.copyOf(services);
    if (exposure == PolicyAction.QUARANTINE || down == PolicyAction.QUARANTINE) {
      throw new IllegalArgumentException(
          (down == PolicyAction.QUARANTINE ? "down" : "exposure")
              + ": quarantine (expected: ignore, event or alert; quarantine is for unexpected and"
              + " mismatch listeners)");
    }
  }

  /** Returns a broken rule of the policy: what is wrong, and how seriously the policy takes it. */
  public record Violation(String message, PolicyAction action) {}

  /** Returns the violation {@code l} commits, or null when the policy allows or ignores it. */
  public Violation check(Listener l) {
    PolicyRule first = null;
    for (PolicyRule rule : expected) {
      if (rule.coversPort(l)) {
        if (rule.mismatch(l) == null) {
          return null;
        }
        first = first == null ? rule : first;
      }
    }
    if ((first == null ? unexpected : mismatch) == PolicyAction.IGNORE) {
      return null; // not worth a message (Policy.NONE meets every listener here, every cycle)
    }
    String who = l.owner() == null ? "an unknown process" : l.owner().label();
    if (first == null) {
      return new Violation(
          "unexpected listener "
              + l.key()
              + " held by "
              + who
              + ": no rule expects port "
              + l.port(),
          unexpected);
    }
    return new Violation(
        l.key()
            + " held by "
            + who
            + " (user "
            + (l.owner() == null ? "?" : l.owner().user())
            + ", scope "
            + l.scope().label()
            + "): "
            + first.mismatch(l),
        mismatch);
  }

  /** Returns true when a rule that fits {@code l} states its scope: the exposure is intended. */
  public boolean exposureIntended(Listener l) {
    for (PolicyRule rule : expected) {
      if (rule.coversPort(l) && rule.mismatch(l) == null && rule.statesScope(l.scope())) {
        return true;
      }
    }
    return false;
  }
}
