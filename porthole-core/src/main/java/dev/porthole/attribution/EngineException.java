package dev.porthole.attribution;

/** Thrown when the container engine cannot be asked; the message says why in one line. */
public final class EngineException extends Exception {
  public EngineException(String message) {
    super(message);
  }
}
