package dev.porthole.proxy.toxics;

/**
 * Returns porthole's connect-time fault that resets each new connection (RST) right after it is
 * accepted, without dialing the upstream: what a client sees from a crashed or overloaded server.
 * Existing connections are not touched. The stream is ignored; toxicity is the share of new
 * connections refused.
 */
public final class Refuse extends Toxic {
  /** Returns the "refuse" type: {}. */
  public static final ToxicType TYPE =
      BasicToxicType.builder("refuse").atConnect().build(a -> new Refuse());

  private Refuse() {}
}
