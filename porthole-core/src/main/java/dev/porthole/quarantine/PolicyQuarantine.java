package dev.porthole.quarantine;

import dev.porthole.firewall.FirewallException;
import dev.porthole.firewall.NetAdmin;
import dev.porthole.store.Store;
import dev.porthole.watch.Listener;
import dev.porthole.watch.ListenerQuarantine;
import dev.porthole.watch.ProcessDetails;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Returns the watch's {@code quarantine} action: the same refusals as {@code kill} and {@code
 * quarantine} (PID 1, porthole itself, another user's process unless root), the same
 * privilege (root or CAP_NET_ADMIN, checked before anything is done), then {@link Quarantiner}:
 * recorded in the store, DROP rules for every port the process listens on, SIGSTOP.
 */
public final class PolicyQuarantine implements ListenerQuarantine {
  private final Quarantiner quarantiner;
  private final BooleanSupplier permitted;

  /** Returns the action on {@code store}, checking the privilege with {@link NetAdmin}. */
  public PolicyQuarantine(Store store) {
    this(store, NetAdmin::permitted);
  }

  PolicyQuarantine(Store store, BooleanSupplier permitted) {
    this.quarantiner = new Quarantiner(store);
    this.permitted = permitted;
  }

  @Override
  public String quarantine(Listener listener) {
    ProcessDetails owner = listener.owner();
    if (owner == null) {
      throw new IllegalStateException(
          "its process cannot be seen (another user's, or in another namespace)");
    }
    String refusal =
        Refusals.refusal(
            owner.pid(), owner.uid(), ProcessHandle.current().pid(), Refusals.myUid());
    if (refusal != null) {
      throw new IllegalStateException(refusal);
    }
    if (!permitted.getAsBoolean()) {
      throw new IllegalStateException(
          "changing packet filter rules needs root or CAP_NET_ADMIN (run the watch as root)");
    }
    List<String> ports = Quarantiner.listeningPorts(owner.pid());
    try {
      return quarantiner.quarantine(owner, ports).id();
    } catch (QuarantineException | FirewallException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }
}
