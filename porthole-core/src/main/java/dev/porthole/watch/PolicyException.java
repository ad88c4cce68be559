package dev.porthole.watch;

/** Returns why a policy file was rejected, in one line: the file, the line and the reason. */
public final class PolicyException extends RuntimeException {
  public PolicyException(String message, Throwable cause) {
    super(message, cause);
  }
}
