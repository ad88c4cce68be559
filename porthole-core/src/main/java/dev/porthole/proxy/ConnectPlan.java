package dev.porthole.proxy;

import dev.porthole.proxy.toxics.BlackHole;
import dev.porthole.proxy.toxics.ConnectDelay;
import dev.porthole.proxy.toxics.Refuse;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Returns what the connect-time toxics decided for one new connection, each rolled against its
 * toxicity once: reset it, swallow it, or dial the upstream after a delay.
 *
 * @param refuse reset the client at once
 * @param blackHole never dial, discard what the client sends
 * @param delayMillis wait this long before dialing (the delays of several toxics add up)
 */
record ConnectPlan(boolean refuse, boolean blackHole, long delayMillis) {

  /** Returns the plan for a connection accepted while {@code toxics} are configured. */
  static ConnectPlan roll(List<ToxicSpec> toxics) {
    boolean refuse = false;
    boolean blackHole = false;
    long delay = 0;
    for (ToxicSpec spec : toxics) {
      String type = spec.type();
      boolean isConnectFault =
          type.equals(Refuse.TYPE.name())
              || type.equals(BlackHole.TYPE.name())
              || type.equals(ConnectDelay.TYPE.name());
      if (!isConnectFault || ThreadLocalRandom.current().nextDouble() >= spec.toxicity()) {
        continue;
      }
      if (type.equals(Refuse.TYPE.name())) {
        refuse = true;
      } else if (type.equals(BlackHole.TYPE.name())) {
        blackHole = true;
      } else {
        Object value = spec.attributes().get("delay");
        delay += value instanceof Number n ? n.longValue() : 0;
      }
    }
    return new ConnectPlan(refuse, blackHole, delay);
  }
}
