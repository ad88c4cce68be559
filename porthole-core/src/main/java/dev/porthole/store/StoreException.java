package dev.porthole.store;

/** Returns a store failure in one line: the file or statement and the database's reason. */
public final class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreException(String message) {
    super(message);
  }
}
