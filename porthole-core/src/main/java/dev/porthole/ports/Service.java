package dev.porthole.ports;

/**
 * Returns the usual service on a port: its short name and a description.
 *
 * @param source where the name comes from: IANA's registry or porthole's developer overlay
 */
public record Service(String name, String description, Source source) {
  /** Returns where a service name comes from. */
  public enum Source {
    /** IANA's Service Name and Transport Protocol Port Number Registry. */
    IANA,
    /** porthole's hand-checked list of the ports development tools use by default. */
    DEVELOPER;

    /** Returns the lower-case label used in JSON ("iana", "developer"). */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
