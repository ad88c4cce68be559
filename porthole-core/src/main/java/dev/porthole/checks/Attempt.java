package dev.porthole.checks;

/**
 * Returns one connection attempt to one resolved address.
 *
 * @param address the address tried
 * @param failure what went wrong, or null when it connected
 * @param millis how long the attempt took
 * @param error the system's own words for the failure, or null
 */
public record Attempt(String address, Failure failure, double millis, String error) {
  public boolean connected() {
    return failure == null;
  }
}
