package dev.porthole.proxy.toxics;

/**
 * Returns porthole's datagram toxic that sends a datagram twice with the given probability, as
 * networks sometimes do. UDP proxies only: a TCP stream cannot carry duplicates.
 */
public final class Duplicate extends Toxic {
  /** Returns the "duplicate" type: {"probability": 0..1}. */
  public static final ToxicType TYPE =
      BasicToxicType.builder("duplicate")
          .attr("probability", 0.0, 0.0, 1.0)
          .udpOnly()
          .build(a -> new Duplicate());

  private Duplicate() {}
}
