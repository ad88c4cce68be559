package dev.porthole.proxy;

/** Returns whether a proxy or toxic name may be used, as a 400 {@link ProxyException}. */
final class Names {
  private Names() {}

  /** Throws a 400 when {@code name} breaks {@link dev.porthole.text.Names}'s rule. */
  static void check(String field, String name) {
    try {
      dev.porthole.text.Names.check(name, field);
    } catch (IllegalArgumentException e) {
      throw ProxyException.bad(e.getMessage());
    }
  }
}
