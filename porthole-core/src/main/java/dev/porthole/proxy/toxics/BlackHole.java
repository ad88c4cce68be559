package dev.porthole.proxy.toxics;

/**
 * Returns porthole's connect-time fault that accepts new connections and then never answers: the
 * upstream is not dialed, what the client sends is discarded, nothing is closed. Clients see their
 * read timeouts fire, as behind a firewall that drops packets. The stream is ignored; toxicity is
 * the share of new connections swallowed.
 */
public final class BlackHole extends Toxic {
  /** Returns the "black_hole" type: {}. */
  public static final ToxicType TYPE =
      BasicToxicType.builder("black_hole").atConnect().build(a -> new BlackHole());

  private BlackHole() {}
}
