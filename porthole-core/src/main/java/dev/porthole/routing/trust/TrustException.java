package dev.porthole.routing.trust;

/** Ends one trust step with a one-line reason (a command failed, a file is not writable). */
public final class TrustException extends Exception {
  public TrustException(String message) {
    super(message, null, false, false);
  }
}
