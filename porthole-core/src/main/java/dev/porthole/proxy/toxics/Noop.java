package dev.porthole.proxy.toxics;

/** Returns a pass-through toxic (Toxiproxy's undocumented "noop", attributes {}). */
public final class Noop extends Toxic {
  /** Returns the "noop" type. */
  public static final ToxicType TYPE = BasicToxicType.builder("noop").udp().build(a -> new Noop());
}
