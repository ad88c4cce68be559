package dev.porthole.quarantine;

/** A quarantine could not be done or undone; the message is one line saying why. */
public final class QuarantineException extends RuntimeException {
  public QuarantineException(String message) {
    super(message);
  }
}
